/// A failure that may go away by itself (a 5xx, a 429, a timeout, a refused connection, a stale push): the
/// service retries the promotion with bounded backoff and leaves its proposals where they were. Adapters' errors
/// conform; anything that does not is permanent.
public protocol TransientFailure: Error {
    /// True when trying again later may succeed.
    var isTransient: Bool { get }
}

extension ForgeFailure: TransientFailure {
    public var isTransient: Bool { kind == .rateLimited || kind == .server || kind == .transport }
}

/// True when `error` says trying again later may succeed.
public func isTransientFailure(_ error: any Error) -> Bool {
    (error as? any TransientFailure)?.isTransient ?? false
}
