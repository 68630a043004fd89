import Foundation
import Promotion

/// Finds and reads `promote.yaml` (and the files of its `environmentsDir`): the IO half of config loading.
enum ConfigLoader {
    /// `--config`, else `$PROMOTE_CONFIG`, else `./promote.yaml`.
    static func path(_ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        explicit ?? environment["PROMOTE_CONFIG"] ?? "promote.yaml"
    }

    static func load(_ explicit: String?) throws -> PromoteConfig {
        let path = path(explicit)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure("cannot read configuration \(path): "
                + (FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file (use --config or $PROMOTE_CONFIG)"))
        }
        let main = ConfigDecoder.File(name: path, bytes: Array(data))
        return try ConfigDecoder.decode(yaml: main, environmentFiles: try environmentFiles(main, configPath: path))
    }

    /// The `*.yaml`/`*.yml` files of `environmentsDir`, sorted by name, when the config names one.
    static func environmentFiles(_ main: ConfigDecoder.File, configPath: String) throws -> [ConfigDecoder.File] {
        guard let dir = try ConfigDecoder.environmentsDir(of: main) else { return [] }
        let base = (configPath as NSString).deletingLastPathComponent
        let full = dir.hasPrefix("/") ? dir : (base.isEmpty ? dir : base + "/" + dir)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: full)) ?? []
        return try names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { name in
            let file = full + "/" + name
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIFailure("cannot read \(file)") }
            return ConfigDecoder.File(name: file, bytes: Array(data))
        }
    }
}
