/// Per-model overrides under `models:`.
public struct ModelSettings: Sendable, Hashable {
    /// An explicit model location (path syntax of DESIGN.md section 2), when convention is not enough.
    public var field: String?
    /// Artifact URIs must start with one of these prefixes.
    public var allowedURIs: [String]
    /// A spec path template for this model only (`{model}`, `{env}`).
    public var path: String?
    /// Helm-values style edits: path -> template of `{model}`, `{version}`, `{uri}`, `{env}`.
    public var set: [(path: String, template: String)]
    /// The template under `templates/` used to onboard the model where it has no spec yet.
    public var template: String?
    /// Gates that override the environment's, per metric; a nil gate (`none`) switches that metric's gate off.
    public var gates: [(metric: String, gate: MetricGate?)] = []

    public init(
        field: String? = nil, allowedURIs: [String] = [], path: String? = nil, set: [(path: String, template: String)] = [],
        template: String? = nil
    ) {
        self.field = field
        self.allowedURIs = allowedURIs
        self.path = path
        self.set = set
        self.template = template
    }

    public static func == (a: ModelSettings, b: ModelSettings) -> Bool {
        a.field == b.field && a.allowedURIs == b.allowedURIs && a.path == b.path && a.template == b.template
            && a.set.map(\.path) == b.set.map(\.path) && a.set.map(\.template) == b.set.map(\.template)
            && a.gates.map(\.metric) == b.gates.map(\.metric) && a.gates.map(\.gate) == b.gates.map(\.gate)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(field)
        hasher.combine(path)
        hasher.combine(template)
    }
}
