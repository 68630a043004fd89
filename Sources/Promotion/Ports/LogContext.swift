/// What every log line written inside a task carries without being passed down: the promotion being worked on.
/// The executable's logging bootstrap reads it through a metadata provider, so git and forge lines logged while a
/// promotion runs carry its id (`promotion` metadata) although the adapters know nothing of promotions.
public enum LogContext {
    /// The id of the promotion the current task works on, if any.
    @TaskLocal public static var promotionID: String?
}

extension LogContext {
    /// The id of the HTTP request the current task handles, if any (`request_id` metadata).
    @TaskLocal public static var requestID: String?
}
