public import YAMLEdit

/// Finds every model location in a manifest file: SeldonDeployment (v1, v1alpha2, v1alpha3) graph and explainer
/// `modelUri` and every `image` under `spec`; Seldon Core v2 `storageUri` and images; KServe `storageUri`
/// (`predictor.model` and `predictor.<framework>`, transformer, explainer), `storage.path`, container images,
/// `runtimeVersion`, env `STORAGE_URI`, `--model_id=` args; kustomize `images[].newName/newTag/digest`;
/// Flux HelmRelease chart version and image values; Helm values keys; images of plain workloads.
///
/// Pure: it reads a parsed `YAMLStream`, no IO.
public enum ManifestScanner {
    /// Every model location of every document, in document and source order.
    public static func locations(in stream: YAMLStream) -> [ModelLocation] {
        stream.documents.flatMap { locations(in: $0) }
    }

    /// The model locations of one document.
    public static func locations(in document: YAMLDocument) -> [ModelLocation] {
        let root = document.root
        guard root.kind == .mapping else { return [] }
        let apiVersion = root["apiVersion"]?.scalar
        let kind = root["kind"]?.scalar
        let name = root["metadata"]?["name"]?.scalar
        let group = apiVersion.map { $0.split(separator: "/", maxSplits: 1).count > 1 ? String($0.split(separator: "/")[0]) : "" }
        var walker = Walker(document: document.index, apiVersion: apiVersion, kind: kind, name: name)
        let rules: Rules
        if kind == nil {
            // No kind: a kustomization.yaml written without one, or a Helm values file (which may well carry an
            // `apiVersion:` value for its chart).
            rules = isKustomization(root) ? .kustomize : .helmValues
        } else {
            switch (group, kind) {
            case ("machinelearning.seldon.io", _):
                rules = .seldonV1
            case ("mlops.seldon.io", _):
                rules = .seldonV2
            case ("serving.kserve.io", _):
                rules = .kserve
            case ("kustomize.config.k8s.io", _), (_, "Kustomization"):
                rules = .kustomize
            case ("helm.toolkit.fluxcd.io", "HelmRelease"):
                rules = .helmRelease
            case (_, let k?) where workloadKinds.contains(k):
                rules = .workload
            default:
                return []
            }
        }
        walker.walk(root, rules: rules)
        return walker.found
    }

    static let workloadKinds: Set<String> = [
        "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod",
        "PodTemplate",
    ]

    /// A kustomization.yaml without `kind`: an `images:` list of mappings with a `name`.
    static func isKustomization(_ root: YAMLNode) -> Bool {
        guard let images = root["images"], images.kind == .sequence, images.count > 0 else { return false }
        let hasKustomizeKeys = ["resources", "bases", "patches", "patchesStrategicMerge", "namespace", "namePrefix", "components"]
            .contains { root[$0] != nil }
        return hasKustomizeKeys && images.items.allSatisfy { $0.kind == .mapping && $0["name"] != nil }
    }
}

/// Which rule set applies to a document.
enum Rules {
    case seldonV1, seldonV2, kserve, kustomize, helmRelease, workload, helmValues
}

/// Walks a document, building both path spellings, and applies the rules to every mapping entry and list item.
struct Walker {
    let document: Int
    let apiVersion: String?
    let kind: String?
    let name: String?
    var found: [ModelLocation] = []

    init(document: Int, apiVersion: String?, kind: String?, name: String?) {
        self.document = document
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
    }

    /// Context of a visited value.
    struct Context {
        var path: [YAMLPath.Component]
        var indexPath: [YAMLPath.Component]
        /// Mapping keys from the root to here (list steps leave the key of the list in place).
        var keys: [String]
        var names: [String]
    }

    mutating func walk(_ root: YAMLNode, rules: Rules) {
        visit(root, Context(path: [], indexPath: [], keys: [], names: []), rules)
    }

    private mutating func visit(_ node: YAMLNode, _ context: Context, _ rules: Rules) {
        // Manifests are shallow; a pathological nesting depth is not walked (and cannot overflow the stack).
        guard context.path.count < 256 else { return }
        switch node.kind {
        case .mapping:
            var names = context.names
            if let n = node["name"], n.kind == .scalar, let s = n.scalar { names.append(s) }
            for entry in node.entries {
                guard entry.key.kind == .scalar, let key = entry.key.scalar else { continue }
                var inner = context
                inner.path.append(.key(key))
                inner.indexPath.append(.key(key))
                inner.keys.append(key)
                inner.names = names
                if entry.value.kind == .scalar, let type = classify(key: key, value: entry.value, parent: node, context: inner, rules) {
                    record(entry.value, type, inner)
                }
                visit(entry.value, inner, rules)
            }
        case .sequence:
            let items = node.items
            let selectable = Self.selectable(items)
            for (i, item) in items.enumerated() {
                var inner = context
                if let selectable {
                    inner.path.append(.select(key: "name", value: selectable[i]))
                } else {
                    inner.path.append(.index(i))
                }
                inner.indexPath.append(.index(i))
                if item.kind == .scalar, let type = classifyItem(item, context: inner, rules) {
                    record(item, type, inner)
                }
                visit(item, inner, rules)
            }
        case .scalar, .alias:
            break
        }
    }

    /// The `name` of every item when every item is a mapping with a unique string `name`, else nil.
    static func selectable(_ items: [YAMLNode]) -> [String]? {
        var names: [String] = []
        var seen: Set<String> = []
        for item in items {
            guard item.kind == .mapping, let n = item["name"], n.kind == .scalar, let value = n.resolved,
                case .string(let s) = value, seen.insert(s).inserted
            else { return nil }
            names.append(s)
        }
        return names.isEmpty ? nil : names
    }

    private mutating func record(_ node: YAMLNode, _ type: ModelLocationType, _ context: Context) {
        found.append(
            ModelLocation(
                document: document, apiVersion: apiVersion, kind: kind, name: name, path: YAMLPath(context.path),
                indexPath: YAMLPath(context.indexPath), type: type, value: node.resolved ?? .null, style: node.style,
                location: node.span.start, names: context.names))
    }

    /// The type of a mapping entry's scalar value, if it is a model location.
    private func classify(key: String, value: YAMLNode, parent: YAMLNode, context: Context, _ rules: Rules) -> ModelLocationType? {
        let keys = context.keys
        let underSpec = keys.first == "spec" && keys.count > 1
        switch rules {
        case .seldonV1:
            guard underSpec else { return nil }
            if key == "modelUri" { return .modelUri }
            if key == "image" { return .image }
        case .seldonV2:
            guard underSpec else { return nil }
            if key == "storageUri" { return .storageUri }
            if key == "image" { return .image }
        case .kserve:
            guard underSpec else { return nil }
            switch key {
            case "storageUri": return .storageUri
            case "image": return .image
            case "runtimeVersion": return .runtimeVersion
            case "path" where keys.dropLast().last == "storage": return .storagePath
            case "value" where keys.dropLast().last == "env" && parent["name"]?.scalar == "STORAGE_URI": return .envStorageUri
            default: return nil
            }
        case .kustomize:
            guard keys.count == 2, keys[0] == "images" else { return nil }
            switch key {
            case "newName": return .kustomizeNewName
            case "newTag": return .kustomizeNewTag
            case "digest": return .kustomizeDigest
            default: return nil
            }
        case .helmRelease:
            if keys == ["spec", "chart", "spec", "version"] { return .helmReleaseChartVersion }
            guard keys.count > 2, keys[0] == "spec", keys[1] == "values" else { return nil }
            if key == "repository" { return .helmImage }
            return helmValue(key: key, parent: parent, keys: Array(keys.dropFirst(2)))
        case .workload:
            guard underSpec, key == "image" else { return nil }
            return .image
        case .helmValues:
            return helmValue(key: key, parent: parent, keys: keys)
        }
        return nil
    }

    /// Helm values keys: `uri`/`modelUri`/`src`, `image`/`restImage`/`grpcImage`, `image.name`/`image.version`,
    /// `tag`, the jukebox chart's `version`/`image_repository`/`image_namespace`, requirements `dependencies[].version`.
    private func helmValue(key: String, parent: YAMLNode, keys: [String]) -> ModelLocationType? {
        let parentKey = keys.dropLast().last
        switch key {
        case "uri", "modelUri", "src": return .helmModelUri
        case "image", "restImage", "grpcImage": return .helmImage
        case "tag": return .helmImageTag
        case "image_repository", "image_namespace": return .helmModelUriPart
        case "name" where parentKey == "image": return .helmImage
        case "version" where parentKey == "image": return .helmImageTag
        case "version" where parent["image_repository"] != nil || parent["image_namespace"] != nil:
            return .helmModelVersion
        case "version" where keys.count == 2 && keys[0] == "dependencies": return .helmChartDependencyVersion
        default: return nil
        }
    }

    /// The type of a sequence item scalar: KServe `--model_id=` arguments.
    private func classifyItem(_ item: YAMLNode, context: Context, _ rules: Rules) -> ModelLocationType? {
        guard case .kserve = rules, context.keys.first == "spec", context.keys.last == "args",
            let text = item.scalar, text.hasPrefix("--model_id=")
        else { return nil }
        return .argModelId
    }
}
