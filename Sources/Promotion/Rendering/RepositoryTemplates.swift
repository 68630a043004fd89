/// Checks a repository's own templates (`templates/commit-message.mustache`, `pr-title.mustache`,
/// `pr-body.mustache`) in the planning step, before anything is pushed: a template that nests too deeply, renders
/// too much or writes a `Promote-` trailer refuses the release there, naming the file and line, instead of failing
/// (or crashing) after staging was pushed.
public enum RepositoryTemplates {
    /// Parses and renders every template `environment` will use, from `snapshot` (the branch the change builds
    /// on) or the defaults, with `review` (the request, without its diff yet).
    public static func check(
        in snapshot: any RepositorySnapshot, review: ReviewContext, opensPullRequest: Bool
    ) throws(PromotionError) {
        let environment = review.environment
        func load(_ name: String) throws(PromotionError) -> (text: String, file: String)? {
            try SpecPlanner.template(name, in: snapshot, environment: environment).map { ($0, "templates/\(name)") }
        }
        func refuse(_ error: TemplateError, file: String, source: String) -> PromotionError {
            var error = error
            error.file = file
            if error.line == 0, error.message.contains("Promote- trailers") {
                // A rendered trailer: point at the template line that writes it, when one does literally.
                let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
                error.line = (lines.firstIndex { $0.lowercased().contains("promote-") } ?? -1) + 1
            }
            return PromotionError(.specRefused, environment: environment, error.description)
        }
        if let message = try load(DefaultTemplates.commitMessageFile) {
            do { _ = try review.commitMessage(template: message.text) } catch { throw refuse(error, file: message.file, source: message.text) }
        }
        guard opensPullRequest else { return }
        if let title = try load(DefaultTemplates.pullRequestTitleFile) {
            do { _ = try review.pullRequestTitle(template: title.text) } catch { throw refuse(error, file: title.file, source: title.text) }
        }
        if let body = try load(DefaultTemplates.pullRequestBodyFile) {
            do { _ = try review.pullRequestBody(template: body.text) } catch { throw refuse(error, file: body.file, source: body.text) }
        }
    }
}
