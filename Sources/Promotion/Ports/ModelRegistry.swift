/// A model registry (MLflow) that releases come from and that hears back when a version goes live.
/// Implemented by the `MLflowRegistry` adapter.
public protocol ModelRegistry: Sendable {
    /// What a release needs of one version: where its artifact is, its metrics, and where it came from.
    /// Throws ``RegistryError`` `.notReady` while the registry still copies the version's files.
    func resolve(model: String, version: String) async throws -> RegistryVersion
    /// The version `alias` points at, or nil when the alias is not set.
    func version(model: String, alias: String) async throws -> String?
    /// Points `alias` at `version` (moving it from any other version).
    func setAlias(_ alias: String, model: String, version: String) async throws
    /// Sets tags on one version.
    func setTags(_ tags: [String: String], model: String, version: String) async throws
}

/// One model version as the registry describes it, resolved to a location a model server can read.
public struct RegistryVersion: Sendable, Hashable {
    public var model: String
    public var version: String
    /// The artifact location written into specs (after `artifactsDestination` rewriting).
    public var uri: String
    /// The latest value of each metric of the version's run (or logged model).
    public var metrics: [String: Double]
    /// The training run, when the version has one.
    public var runID: String?
    /// A link to the run in the registry's UI.
    public var runURL: String?
    /// The version's aliases, as the registry lists them.
    public var aliases: [String]

    public init(
        model: String, version: String, uri: String, metrics: [String: Double] = [:], runID: String? = nil,
        runURL: String? = nil, aliases: [String] = []
    ) {
        self.model = model
        self.version = version
        self.uri = uri
        self.metrics = metrics
        self.runID = runID
        self.runURL = runURL
        self.aliases = aliases
    }
}

/// Why a registry call failed.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The model, version or alias does not exist.
        case notFound
        /// The version exists but is not READY yet (files still being copied): try again later.
        case notReady
        /// The registry refused the credentials.
        case unauthorized
        /// The registry could not be reached or answered 5xx.
        case unavailable
        /// The answer was not what the API describes.
        case invalidResponse
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
