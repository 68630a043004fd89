internal import YAMLEdit

/// The path grammar of DESIGN section 2 as the configuration's `field:` and `set:` keys use it.
enum ManifestPath {
    /// Why `text` is not a path in the contract syntax (quoted keys, `image\.tag`, `[N]`, `[key=value]`), or nil.
    static func problem(in text: String) -> String? {
        do {
            _ = try YAMLPath(parsing: text)
            return nil
        } catch {
            return error.reason + " (keys holding . [ ] = or \" go in double quotes: a.\"b.c\", or a.b\\.c)"
        }
    }
}
