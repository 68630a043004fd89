/// A synchronous, domain-free wrapper of the libgit2 subset Promote uses.
public enum Git2 {}
