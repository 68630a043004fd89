// swift-tools-version:6.1
import PackageDescription

/// Every Swift target builds in Swift 6 mode with these upcoming features, so that C modules
/// stay behind `internal import` and existentials are spelled out.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Promote",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "promote", targets: ["promote"]),
        .executable(name: "promote-forge-sim", targets: ["promote-forge-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // System libraries: module map + typed shims for what Swift cannot import (variadics, macros).
        .systemLibrary(name: "Clibyaml", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "Clibgit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "Clibcurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Wrappers: synchronous, domain-free, each the only importer of its C module.
        .target(name: "YAMLEdit", dependencies: ["Clibyaml"], swiftSettings: strict),
        .target(name: "Git2", dependencies: ["Clibgit2"], swiftSettings: strict),
        .target(name: "CurlHTTP", dependencies: ["Clibcurl"], swiftSettings: strict),
        // JSON values, a strict parser and a writer: shared by the forge clients, the stand-in and event intake.
        .target(name: "JSON", swiftSettings: strict),
        // HMAC signatures of webhooks (Standard Webhooks, MLflow, forges), constant-time: domain-free, over swift-crypto.
        .target(name: "WebhookSignatures", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),

        // The pure core: no IO. It reads YAML through YAMLEdit's pure parser.
        .target(
            name: "Promotion",
            dependencies: ["YAMLEdit", "JSON", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strict),

        // Adapters: depend inward on the core and on their own wrapper, never on each other.
        .target(
            name: "GitOpsRepo",
            dependencies: ["Promotion", "Git2", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "Forges",
            dependencies: ["Promotion", "CurlHTTP", "JSON", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),

        .target(
            name: "MLflowRegistry",
            dependencies: ["Promotion", "CurlHTTP", "JSON", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),

        // The sources of `verify` checks: Argo CD and Prometheus over their HTTP APIs.
        .target(
            name: "DeploymentChecks",
            dependencies: ["Promotion", "CurlHTTP", "JSON", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),

        .target(
            name: "Store",
            dependencies: ["Promotion", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),

        // The stand-in forge (clearly a stand-in): used by tests and by the README demo.
        .target(
            name: "ForgeSim",
            dependencies: [
                "JSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "promote-forge-sim", dependencies: ["ForgeSim"], swiftSettings: strict),

        // Benchmark of the spec editor against libyaml's bare event parse (bench/yaml/run.sh).
        .executableTarget(name: "bench-yaml", dependencies: ["YAMLEdit"], path: "bench/yaml/Sources", swiftSettings: strict),

        // `promote serve`: HTTP intake, durable workers, merge webhooks, schedules and metrics, over the ports.
        .target(
            name: "Service",
            dependencies: [
                "Promotion", "JSON", "Forges", "MLflowRegistry", "WebhookSignatures", "CurlHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The OpenAPI document of the service's API, compiled into the binary (no resource bundle to ship).
            resources: [.embedInCode("Resources/openapi.json")],
            swiftSettings: strict),

        // Composition: the CLI command tree (a library, tested by parsing) and the thin executable.
        .target(
            name: "PromoteCLI",
            dependencies: [
                "Promotion", "YAMLEdit", "JSON", "GitOpsRepo", "Forges", "Store", "Service", "MLflowRegistry",
                "DeploymentChecks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "promote",
            dependencies: [
                "PromoteCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // Test infrastructure: loopback git servers, fixture builders.
        .target(name: "TestSupport", dependencies: ["Promotion"], swiftSettings: strict),

        // Benchmark of the git transport against the git CLI (bench/git/run.sh).
        .executableTarget(
            name: "bench-git", dependencies: ["GitOpsRepo", "Promotion", "TestSupport"], path: "bench/git/Sources",
            swiftSettings: strict),

        .testTarget(name: "YAMLEditTests", dependencies: ["YAMLEdit", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PromotionTests", dependencies: ["Promotion", "YAMLEdit", "JSON", "Store", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "Git2Tests", dependencies: ["Git2", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "GitOpsRepoTests", dependencies: ["GitOpsRepo", "Promotion", "Git2", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Promotion"], swiftSettings: strict),
        .testTarget(
            name: "CurlHTTPTests",
            dependencies: [
                "CurlHTTP", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict),
        .testTarget(name: "ForgesTests", dependencies: ["Forges", "ForgeSim", "Promotion", "CurlHTTP", "JSON", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: strict),
        .testTarget(name: "WebhookSignaturesTests", dependencies: ["WebhookSignatures", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "DeploymentChecksTests",
            dependencies: ["DeploymentChecks", "Promotion", "CurlHTTP", "JSON", "TestSupport", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .testTarget(
            name: "MLflowRegistryTests", dependencies: ["MLflowRegistry", "Promotion", "JSON", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ServiceTests",
            dependencies: [
                "Service", "Promotion", "Store", "JSON", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict),
        .testTarget(name: "PromoteCLITests", dependencies: ["PromoteCLI", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")], swiftSettings: strict),
    ]
)
