/// `promote serve`: the long-running service of DESIGN.md section 5.
public enum PromoteService {}
