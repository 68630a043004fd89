public import Foundation

/// Locates the YAML fixtures under `Tests/Fixtures/` (the spec corpus and the yaml-test-suite cases).
public enum YAMLFixtures {
    /// `Tests/Fixtures` of this checkout.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures")

    /// `Tests/Fixtures/specs`.
    public static var specs: URL { root.appendingPathComponent("specs") }

    /// `Tests/Fixtures/yaml-test-suite`.
    public static var yamlTestSuite: URL { root.appendingPathComponent("yaml-test-suite") }

    /// The bytes of a fixture file, by path relative to `Tests/Fixtures`.
    public static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }

    /// Every file under `specs/` except `index.json`, README and SOURCES, as paths relative to `specs/`.
    public static func specFiles() throws -> [String] {
        let base = specs.path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var out: [String] = []
        while let item = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: base + "/" + item, isDirectory: &isDirectory)
            if !isDirectory.boolValue && !["index.json", "README.md", "SOURCES.md"].contains(item) { out.append(item) }
        }
        return out.sorted()
    }
}
