/// The built-in Mustache templates for commit messages and pull requests. A GitOps repository overrides any of
/// them with a file of the same name under `templates/` (`commit-message.mustache`, `pr-title.mustache`,
/// `pr-body.mustache`). Rendered as plain text (no HTML escaping); provenance trailers are always appended to
/// commit messages, whatever the template says.
public enum DefaultTemplates {
    /// The file names an override uses, under `templates/`.
    public static let commitMessageFile = "commit-message.mustache"
    public static let pullRequestTitleFile = "pr-title.mustache"
    public static let pullRequestBodyFile = "pr-body.mustache"

    /// The commit message (the first line is the subject).
    public static let commitMessage = """
        {{% CONTENT_TYPE: TEXT}}
        {{verb}} {{model}} {{version}} to {{environment}}

        {{#hasPrevious}}
        {{model}}: {{previousVersion}} -> {{version}}
        {{previousUri}} -> {{uri}}
        {{/hasPrevious}}
        {{^hasPrevious}}
        {{model}}: {{version}} at {{uri}}{{#onboarded}}, onboarded from templates/{{onboarded}}{{/onboarded}}
        {{/hasPrevious}}
        {{#source.commit}}
        Source commit: {{source.commit}}
        {{/source.commit}}
        {{#source.runUrl}}
        Run: {{source.runUrl}}
        {{/source.runUrl}}
        {{#source.pipeline}}
        Pipeline: {{source.pipeline}}
        {{/source.pipeline}}
        """

    /// The pull request title (its first non-empty line is used).
    public static let pullRequestTitle = """
        {{% CONTENT_TYPE: TEXT}}
        {{verb}} {{model}} {{#hasPrevious}}{{previousVersion}} → {{/hasPrevious}}{{version}} to {{environment}}
        """

    /// The pull request body (Markdown), ending with hidden machine-readable metadata.
    public static let pullRequestBody = """
        {{% CONTENT_TYPE: TEXT}}
        ## {{verb}} `{{model}}` to {{version}} in {{environment}}

        | | Version | Artifact |
        |---|---|---|
        {{#hasPrevious}}
        | Now in {{environment}} | {{previousVersion}} | `{{previousUri}}` |
        {{/hasPrevious}}
        {{^hasPrevious}}
        | Now in {{environment}} | _none{{#onboarded}}: new deployment from `templates/{{onboarded}}`{{/onboarded}}_ | |
        {{/hasPrevious}}
        | **Proposed** | **{{version}}** | `{{uri}}` |
        {{#hasStaged}}
        | In {{stagedEnvironment}} | {{stagedVersion}} | since {{stagedSince}} |
        {{/hasStaged}}

        {{#rollback}}
        > This is a rollback to an earlier version.

        {{/rollback}}
        ### Metrics
        {{#hasMetrics}}

        | Metric | {{environment}}{{#hasPrevious}} ({{previousVersion}}){{/hasPrevious}} | Candidate ({{version}}) | Change | Gate |
        |---|---:|---:|---:|---|
        {{#metrics}}
        | {{name}} | {{current}} | {{candidate}} | {{change}} | {{gate}} |
        {{/metrics}}
        {{/hasMetrics}}
        {{^hasMetrics}}
        No metrics were reported with this version.
        {{/hasMetrics}}
        {{#gatesBlocked}}

        **A gate failed; this was promoted with `--force`.**
        {{/gatesBlocked}}
        {{#skippedStages}}

        **Stages skipped** (`--skip-stages`): {{skippedStages}}
        {{/skippedStages}}

        ### Source
        {{#source.commit}}
        - Commit: `{{source.commit}}`
        {{/source.commit}}
        {{#source.runUrl}}
        - Run: {{source.runUrl}}
        {{/source.runUrl}}
        {{#source.pipeline}}
        - Pipeline: {{source.pipeline}}
        {{/source.pipeline}}
        {{^hasSource}}
        - Not reported.
        {{/hasSource}}

        ### Change
        {{#files}}
        `{{path}}`
        {{fence}}diff
        {{diff}}{{fence}}
        {{/files}}
        {{#hasSuperseded}}

        ### Supersedes
        {{#superseded}}
        - {{version}}{{#url}} ({{url}}){{/url}}{{^url}}, proposed earlier in this pull request{{/url}}
        {{/superseded}}
        {{/hasSuperseded}}

        ### Rollback
        {{#hasPrevious}}
        If {{version}} misbehaves after this merges: `promote rollback {{model}} --env {{environment}} --to {{previousVersion}}`
        {{/hasPrevious}}
        {{^hasPrevious}}
        This is the first version in {{environment}}; to remove it, revert this pull request's merge commit.
        {{/hasPrevious}}

        ---
        _Opened by Promote. Merge to deploy; close to reject. A newer version updates this pull request._

        <!-- promote:metadata {{{metadata}}} -->
        """
}
