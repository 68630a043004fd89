/// A part of a reconciliation that could not be checked: one model in one environment, or a whole environment when
/// its repository or forge could not be read. The rest of the pass goes on without it.
public struct ReconcileFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The model, or nil when the whole environment failed.
    public var model: String?
    public var environment: String
    /// What went wrong, as the error describes itself (errors carry no secrets).
    public var message: String

    public init(model: String?, environment: String, message: String) {
        self.model = model
        self.environment = environment
        self.message = message
    }

    /// The failure of `model` (nil: the whole environment) in `environment` because of `error`.
    public init(model: String?, environment: String, error: any Error) {
        let message = (error as? PromotionError)?.message ?? "\(error)"
        self.init(model: model, environment: environment, message: message)
    }

    public var description: String { "\(model.map { "\($0) in " } ?? "")\(environment): \(message)" }
}
