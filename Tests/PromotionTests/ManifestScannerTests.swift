import Foundation
import Promotion
import TestSupport
import Testing
import YAMLEdit

/// The manifest knowledge against the spec corpus index: every file, exactly its locations, in order.
@Suite struct ManifestScannerTests {
    struct Expected: Sendable, CustomStringConvertible {
        let file: String
        let locations: [[String: String]]
        var description: String { file }
    }

    static let index: [Expected] = {
        guard let data = try? Data(contentsOf: YAMLFixtures.specs.appendingPathComponent("index.json")),
            let entries = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { return [] }
        return entries.map { entry in
            let documents = entry["documents"] as? [[String: Any]] ?? []
            let locations = documents.flatMap { doc in
                (doc["locations"] as? [[String: Any]] ?? []).map { loc in
                    [
                        "document": String(describing: doc["index"] ?? ""),
                        "kind": doc["kind"] as? String ?? "<nil>",
                        "path": loc["path"] as? String ?? "",
                        "path_index": loc["path_index"] as? String ?? "",
                        "type": loc["type"] as? String ?? "",
                        "value": loc["value"] as? String ?? "<nil>",
                        "line": String(describing: loc["line"] ?? ""),
                        "style": loc["style"] as? String ?? "",
                    ]
                }
            }
            return Expected(file: entry["file"] as? String ?? "", locations: locations)
        }
    }()

    @Test func indexIsPresent() {
        #expect(Self.index.count == 130)
        #expect(Self.index.reduce(0) { $0 + $1.locations.count } == 290)  // 130 editable files in this copy (README: 301 before unlicensed files were dropped)
    }

    @Test(arguments: index)
    func findsExactlyTheIndexedLocations(expected: Expected) throws {
        let stream = try YAMLStream(bytes: try YAMLFixtures.bytes("specs/\(expected.file)"), file: expected.file)
        let found = ManifestScanner.locations(in: stream).map { l -> [String: String] in
            [
                "document": String(l.document), "kind": l.kind ?? "<nil>", "path": l.path.description,
                "path_index": l.indexPath.description, "type": l.type.rawValue, "value": l.text ?? "<nil>",
                "line": String(l.location.line), "style": l.style.rawValue,
            ]
        }
        #expect(found == expected.locations)
        // Both path spellings resolve, in that document, to the located scalar.
        for l in ManifestScanner.locations(in: stream) {
            let a = try stream.locate(l.path, document: l.document).node
            let b = try stream.locate(l.indexPath, document: l.document).node
            #expect(a.id == b.id && a.span.start == l.location)
        }
    }

    @Test func selectorOnlyWhenEveryItemHasAUniqueStringName() throws {
        let text = """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - name: a
                    image: x:1
                  - name: a
                    image: y:1
                  initContainers:
                  - name: 1
                    image: z:1
                  ephemeralContainers:
                  - name: "1"
                    image: w:1
            """
        let paths = ManifestScanner.locations(in: try YAMLStream(text: text)).map(\.path.description)
        #expect(paths == [
            "spec.template.spec.containers[0].image", "spec.template.spec.containers[1].image",
            "spec.template.spec.initContainers[0].image", "spec.template.spec.ephemeralContainers[name=1].image",
        ])
    }
}
