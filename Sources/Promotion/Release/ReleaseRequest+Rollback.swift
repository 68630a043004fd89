extension ReleaseRequest {
    /// Idempotency keys that mark a rollback (`promote rollback`, `POST /v1/promotions` with `action: rollback`): the
    /// workers run such a promotion as a rollback (an older version is allowed). Event intake refuses the prefix.
    public static let rollbackKeyPrefix = "rollback:"

    /// Whether this request restores an earlier version.
    public var isRollback: Bool { idempotencyKey.hasPrefix(Self.rollbackKeyPrefix) }
}
