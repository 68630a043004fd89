internal import Foundation
internal import YAMLEdit

/// Plans the edit of one model's spec in one environment: pure, from a repository snapshot.
///
/// Where the version goes: the `set:` templates of a Helm-values layout, else the explicit `field:`, else by
/// convention the one model URI location in the file (or the one named after the model). The edit is a minimal
/// splice (``YAMLEdit``); a spec that cannot be edited safely is refused, never rewritten.
public enum SpecPlanner {
    /// The plan, or nil when the spec already holds the version. With `cache`, a spec whose bytes were parsed before
    /// is not parsed again.
    public static func plan(
        snapshot: any RepositorySnapshot, config: PromoteConfig, environment env: EnvironmentSettings, request: ReleaseRequest,
        cache: SpecParseCache? = nil
    ) throws(PromotionError) -> SpecPlan? {
        let path = config.specPath(model: request.model, environment: env)
        let settings = config.model(request.model)
        let entry: TreeEntry
        do { entry = try snapshot.entry(at: path) } catch {
            throw PromotionError(.transport, environment: env.name, "cannot read \(path): \(error)")
        }
        switch entry {
        case .file(let data):
            let bytes = Array(data)
            guard let edited = try edit(bytes, path: path, settings: settings, request: request, env: env, parsed: cache, data: data) else {
                return nil
            }
            return SpecPlan(path: path, old: data, new: Data(edited.bytes), previousValue: edited.previous, onboardedFrom: nil)
        case .missing:
            guard let template = settings.template else {
                throw PromotionError(
                    .unknownModel, environment: env.name,
                    "unknown model '\(request.model)': there is no spec at \(path), and promote.yaml does not declare it with a "
                        + "template (models: {\(request.model): {template: seldon-deployment.yaml}}). Check the name for a typo.")
            }
            guard let text = try Self.template(template, in: snapshot, environment: env.name) else {
                throw PromotionError(.specRefused, environment: env.name, "onboarding template templates/\(template) does not exist")
            }
            let rendered = Array(render(template: text, request: request, env: env).utf8)
            let bytes = try edit(rendered, path: path, settings: settings, request: request, env: env)?.bytes ?? rendered
            return SpecPlan(path: path, old: nil, new: Data(bytes), previousValue: nil, onboardedFrom: template)
        case .symlink(let target):
            throw PromotionError(.specRefused, environment: env.name, "\(path) is a symbolic link (to \(target)); Promote does not edit through links")
        case .submodule:
            throw PromotionError(.specRefused, environment: env.name, "\(path) is inside a submodule; edit the submodule's own repository")
        case .directory:
            throw PromotionError(.specRefused, environment: env.name, "\(path) is a directory, not a spec file")
        }
    }

    /// A template from the repository's `templates/` folder, or nil when it has none of that name.
    public static func template(_ name: String, in snapshot: any RepositorySnapshot, environment: String? = nil) throws(PromotionError) -> String? {
        let path = "templates/\(name)"
        let entry: TreeEntry
        do { entry = try snapshot.entry(at: path) } catch {
            throw PromotionError(.transport, environment: environment, "cannot read \(path): \(error)")
        }
        switch entry {
        case .file(let data): return String(decoding: data, as: UTF8.self)
        case .missing: return nil
        default: throw PromotionError(.specRefused, environment: environment, "\(path) is not a regular file")
        }
    }

    /// The version a location's value most likely names: the last path segment of a URI, the tag of an image,
    /// else the value itself.
    public static func versionGuess(from value: String) -> String {
        guard value.contains("://") else { return ImageReference.tag(of: value) ?? value }
        var text = Substring(value)
        if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<query] }
        while text.hasSuffix("/") { text = text.dropLast() }
        let last = text.split(separator: "/").last.map(String.init) ?? value
        // oci://registry/repo:tag names its version in the tag.
        return ImageReference.tag(of: last) ?? last
    }

    /// Replaces `{{model}}`, `{{version}}`, `{{uri}}`, `{{env}}` (spaces inside the braces allowed).
    static func render(template: String, request: ReleaseRequest, env: EnvironmentSettings) -> String {
        var out = template
        for (name, value) in [("model", request.model), ("version", request.version), ("uri", request.uri), ("env", env.name)] {
            out = out.replacingOccurrences(of: "{{\(name)}}", with: value).replacingOccurrences(of: "{{ \(name) }}", with: value)
        }
        return out
    }

    /// The edited bytes and the value the main location held, or nil when every location already holds its value.
    static func edit(
        _ bytes: [UInt8], path: String, settings: ModelSettings, request: ReleaseRequest, env: EnvironmentSettings,
        parsed cache: SpecParseCache? = nil, data: Data? = nil
    ) throws(PromotionError) -> (bytes: [UInt8], previous: String?)? {
        func refused(_ error: YAMLSourceError) -> PromotionError {
            PromotionError(.specRefused, environment: env.name, "\(error)")
        }
        let stream: YAMLStream
        do {
            if let cache, let data { stream = try cache.stream(of: data, file: path) } else { stream = try YAMLStream.forEditing(bytes: bytes, file: path) }
        } catch { throw refused(error) }
        let targets = try targets(in: stream, path: path, settings: settings, request: request, env: env)
        // One multi-edit: every target resolved in this parse, checked together, spliced at once.
        let outcome: EditOutcome
        do {
            outcome = try stream.apply(targets.map { ScalarEdit(path: $0.path, value: $0.value, document: $0.document) })
        } catch { throw refused(error) }
        guard outcome.changed else { return nil }
        return (outcome.bytes, outcome.previousValues.first ?? nil)
    }

    struct Target {
        var path: YAMLPath
        var document: Int?
        var value: String
    }

    /// Where the values go, main location first.
    static func targets(
        in stream: YAMLStream, path: String, settings: ModelSettings, request: ReleaseRequest, env: EnvironmentSettings
    ) throws(PromotionError) -> [Target] {
        let placeholders = ["model": request.model, "version": request.version, "uri": request.uri, "env": env.name]
        func parse(_ text: String, key: String) throws(PromotionError) -> YAMLPath {
            do { return try YAMLPath(parsing: text) } catch {
                throw PromotionError(.notAllowed, environment: env.name, "models.\(request.model).\(key): '\(text)' is not a valid path: \(error.reason)")
            }
        }
        if !settings.set.isEmpty {
            var targets: [Target] = []
            for (text, template) in settings.set {
                targets.append(Target(path: try parse(text, key: "set"), document: nil, value: template.replacingPlaceholders(placeholders)))
            }
            // The location that names the version (or the URI) first, so that it is the one reported as previous.
            return targets.sorted { a, b in
                let rank: (Target) -> Int = { t in
                    let template = settings.set.first { (try? YAMLPath(parsing: $0.path)) == t.path }?.template ?? ""
                    return template.contains("{version}") ? 0 : template.contains("{uri}") ? 1 : 2
                }
                return rank(a) < rank(b)
            }
        }
        let field = try settings.field.map { text throws(PromotionError) in try parse(text, key: "field") }
        let plan: ModelEditPlan
        do { plan = try ModelTargeting.plan(model: request.model, change: .uri(request.uri), in: stream, field: field) } catch {
            throw PromotionError(.specRefused, environment: env.name, "\(path): \(error.reason)")
        }
        let value = value(for: plan.location.type, current: plan.location.text, request: request)
        return [Target(path: plan.location.indexPath, document: plan.location.document, value: value)]
    }

    /// What to write at a location of `type`: the version for tag and version keys, the image with its tag replaced
    /// for an image, else the URI.
    static func value(for type: ModelLocationType, current: String?, request: ReleaseRequest) -> String {
        if type.holdsVersion { return request.version }
        if type.holdsImageReference, let current { return ImageReference.replacingTag(of: current, with: request.version) }
        return request.uri
    }
}

