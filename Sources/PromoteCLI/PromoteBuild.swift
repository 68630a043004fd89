import Service

/// The build the CLI reports to the service (`promote_build_info`, the OpenAPI `info.version`): read from
/// ``PromoteVersion``, the one place the version is set.
enum PromoteBuild {
    static var info: BuildInfo { BuildInfo(version: PromoteVersion.current, commit: PromoteVersion.commit ?? "unknown") }
}
