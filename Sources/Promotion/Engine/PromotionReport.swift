/// What `promote release` (or a worker) did with one promotion, for printing and for the API.
public struct PromotionReport: Sendable {
    /// What one environment would get or got: its spec change and, for a pull-request environment, the PR text.
    public struct Preview: Sendable, Hashable {
        public var environment: String
        public var plan: SpecPlan?
        public var pullRequestTitle: String?
        public var pullRequestBody: String?
        public var commitMessage: String?
    }

    /// The promotion as stored after the run.
    public var record: PromotionRecord
    /// False when the idempotency key matched an earlier promotion.
    public var created: Bool
    /// One per environment that was planned (always filled on a dry run).
    public var previews: [Preview]
    /// The steps this run added (the record holds those of earlier runs of the same promotion too).
    public var steps: [PromotionStep]
}
