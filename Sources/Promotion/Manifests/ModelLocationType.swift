/// What a model location holds, named as in the spec corpus index (`modelUri`, `storageUri`, `image`,
/// `kustomize:newTag`, `helm:image-tag`, …).
public struct ModelLocationType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The index name.
    public let rawValue: String
    /// Creates a type from its index name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// SeldonDeployment graph node or explainer `modelUri`.
    public static let modelUri = Self(rawValue: "modelUri")
    /// Seldon Core v2 or KServe `storageUri`.
    public static let storageUri = Self(rawValue: "storageUri")
    /// KServe `storage.path`.
    public static let storagePath = Self(rawValue: "storage.path")
    /// A container `image` (reference with tag or digest).
    public static let image = Self(rawValue: "image")
    /// KServe `runtimeVersion`.
    public static let runtimeVersion = Self(rawValue: "runtimeVersion")
    /// A container env `STORAGE_URI` value.
    public static let envStorageUri = Self(rawValue: "env:STORAGE_URI")
    /// A container argument `--model_id=…`.
    public static let argModelId = Self(rawValue: "arg:--model_id")
    /// kustomize `images[].newName`.
    public static let kustomizeNewName = Self(rawValue: "kustomize:newName")
    /// kustomize `images[].newTag`.
    public static let kustomizeNewTag = Self(rawValue: "kustomize:newTag")
    /// kustomize `images[].digest`.
    public static let kustomizeDigest = Self(rawValue: "kustomize:digest")
    /// Flux HelmRelease `spec.chart.spec.version`.
    public static let helmReleaseChartVersion = Self(rawValue: "helmrelease:chartVersion")
    /// Helm values: an image (repository) key.
    public static let helmImage = Self(rawValue: "helm:image")
    /// Helm values: an image tag or version key.
    public static let helmImageTag = Self(rawValue: "helm:image-tag")
    /// Helm values: a model URI key (`uri`, `modelUri`, `src`).
    public static let helmModelUri = Self(rawValue: "helm:model-uri")
    /// Helm values: a part of a URI the chart assembles (`image_repository`, `image_namespace`).
    public static let helmModelUriPart = Self(rawValue: "helm:model-uri-part")
    /// Helm values: the model version key the chart builds the URI from.
    public static let helmModelVersion = Self(rawValue: "helm:model-version")
    /// Helm v2 `requirements.yaml` `dependencies[].version`.
    public static let helmChartDependencyVersion = Self(rawValue: "helm:chart-dependency-version")

    /// The index name.
    public var description: String { rawValue }

    /// Whether the location holds a whole model URI.
    public var holdsURI: Bool {
        [.modelUri, .storageUri, .envStorageUri, .helmModelUri].contains(self)
    }

    /// Whether the location holds a container image reference (repository, maybe with a tag or digest).
    public var holdsImageReference: Bool { self == .image }

    /// Whether the location holds a bare version or tag.
    public var holdsVersion: Bool {
        [.kustomizeNewTag, .helmImageTag, .helmModelVersion, .runtimeVersion].contains(self)
    }
}
