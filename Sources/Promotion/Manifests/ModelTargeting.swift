public import YAMLEdit

/// The edit a promotion makes in one manifest: which location, and the new text.
public struct ModelEditPlan: Sendable {
    /// The location chosen.
    public var location: ModelLocation
    /// The value to write there.
    public var newValue: String

    /// The editor call that makes the change.
    public var edit: ScalarEdit { ScalarEdit(path: location.indexPath, value: newValue, document: location.document) }

    /// Whether the location already holds the new value (nothing to do).
    public var isNoOp: Bool { location.text == newValue }
}

/// Chooses where a model's new version goes in a manifest: the configured `field:` if any; otherwise, by
/// convention, the one location of the right kind in the file, or the one named after the model (graph node,
/// predictor, container, kustomize image or document name).
public enum ModelTargeting {
    /// Plans the change of `model` in `stream`.
    /// - Parameters:
    ///   - model: the model name (`jukebox`).
    ///   - change: the new URI, image tag or version.
    ///   - stream: the parsed manifest.
    ///   - field: an explicit path from the configuration, overriding the convention.
    ///   - document: with `field`, the document index when the path resolves in several.
    /// - Throws: `ModelTargetError` `.noLocation`, `.ambiguous` (listing the candidates) or `.field`.
    public static func plan(
        model: String, change: ModelChange, in stream: YAMLStream, field: YAMLPath? = nil, document: Int? = nil
    ) throws(ModelTargetError) -> ModelEditPlan {
        let all = ManifestScanner.locations(in: stream)
        if let field {
            let target: ResolvedTarget
            do {
                target = try stream.locate(field, document: document)
            } catch {
                throw ModelTargetError(.field, "field \"\(field)\" for model \(model): \(error)", cause: error)
            }
            guard target.node.kind == .scalar else {
                throw ModelTargetError(.field, "field \"\(field)\" for model \(model) is not a scalar")
            }
            let known = all.first { $0.document == target.document && $0.location == target.node.span.start }
            let doc = stream.documents[target.document].root
            let location = known ?? ModelLocation(
                document: target.document, apiVersion: doc["apiVersion"]?.scalar, kind: doc["kind"]?.scalar,
                name: doc["metadata"]?["name"]?.scalar, path: field, indexPath: field,
                type: ModelLocationType(rawValue: "field"), value: target.node.resolved ?? .null, style: target.node.style,
                location: target.node.span.start, names: [])
            return ModelEditPlan(location: location, newValue: change.newValue(replacing: location.text, type: location.type))
        }
        let candidates = all.filter { change.types.contains($0.type) }
        guard !candidates.isEmpty else {
            let kinds = change.types.map(\.rawValue).joined(separator: ", ")
            throw ModelTargetError(.noLocation, "no location for model \(model) (\(kinds)) in the file; configure field:")
        }
        let chosen: ModelLocation
        if candidates.count == 1 {
            chosen = candidates[0]
        } else if let one = only(candidates.filter { $0.names.last == model })
            ?? only(candidates.filter { $0.names.contains(model) })
            ?? only(candidates.filter { $0.name == model })
        {
            chosen = one
        } else {
            let list = candidates.map { "\($0.path) (document \($0.document), line \($0.location.line))" }.joined(separator: "; ")
            throw ModelTargetError(
                .ambiguous, "\(candidates.count) locations could hold model \(model) and none is named after it: \(list); configure field:",
                candidates: candidates)
        }
        return ModelEditPlan(location: chosen, newValue: change.newValue(replacing: chosen.text, type: chosen.type))
    }

    private static func only(_ list: [ModelLocation]) -> ModelLocation? {
        list.count == 1 ? list[0] : nil
    }
}
