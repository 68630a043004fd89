/// Byte-exact, comment-preserving edits of YAML documents, built on libyaml's event parser.
public enum YAMLEdit {}
