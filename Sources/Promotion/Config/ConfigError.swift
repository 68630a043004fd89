/// Everything wrong with a configuration, each problem naming the file, the line, the key and the fix.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One problem.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var file: String
        public var line: Int
        /// The dotted key path, e.g. `environments[1].mode`.
        public var key: String
        public var message: String

        public init(file: String, line: Int, key: String, message: String) {
            self.file = file
            self.line = line
            self.key = key
            self.message = message
        }

        public var description: String {
            let place = line > 0 ? "\(file):\(line)" : file
            return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
        }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
