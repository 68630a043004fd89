/// What a promotion changes in a model location.
public enum ModelChange: Sendable, Hashable {
    /// A new artifact URI (`gs://models/jukebox/1.4.2`): for `modelUri`, `storageUri`, env `STORAGE_URI`, Helm URI keys.
    case uri(String)
    /// A new image tag (`1.4.2`): replaces the tag (and any digest) of an `image` reference, or sets a tag key.
    case imageTag(String)
    /// A new bare version: Helm chart version keys, kustomize `newTag`, Helm image tags.
    case version(String)

    /// The location types this change can apply to, by convention.
    var types: [ModelLocationType] {
        switch self {
        case .uri: return [.modelUri, .storageUri, .envStorageUri, .helmModelUri]
        case .imageTag: return [.image, .kustomizeNewTag, .helmImageTag]
        case .version: return [.helmModelVersion, .kustomizeNewTag, .helmImageTag]
        }
    }

    /// The text to write at a location currently holding `current` of type `type`.
    public func newValue(replacing current: String?, type: ModelLocationType) -> String {
        switch self {
        case .uri(let uri): return uri
        case .version(let v): return v
        case .imageTag(let tag):
            guard type == .image, let current, !current.isEmpty else { return tag }
            return ImageReference.replacingTag(of: current, with: tag)
        }
    }
}

/// Container image references (`registry:5000/org/app:1.2@sha256:…`).
public enum ImageReference {
    /// `reference` with its tag set to `tag` and any digest dropped (a digest would override the tag).
    public static func replacingTag(of reference: String, with tag: String) -> String {
        var name = Substring(reference)
        if let at = name.firstIndex(of: "@") { name = name[..<at] }
        let lastSlash = name.lastIndex(of: "/")
        let searchFrom = lastSlash.map { name.index(after: $0) } ?? name.startIndex
        if let colon = name[searchFrom...].firstIndex(of: ":") { name = name[..<colon] }
        return name + ":" + tag
    }

    /// The tag of `reference`, if it has one.
    public static func tag(of reference: String) -> String? {
        var name = Substring(reference)
        if let at = name.firstIndex(of: "@") { name = name[..<at] }
        let searchFrom = name.lastIndex(of: "/").map { name.index(after: $0) } ?? name.startIndex
        guard let colon = name[searchFrom...].firstIndex(of: ":") else { return nil }
        return String(name[name.index(after: colon)...])
    }
}
