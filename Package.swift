// swift-tools-version: 6.2
// Tracegate: an edge reverse proxy for debugging distributed systems.
//
// Pure policy targets (TracegateHTTP, TracegateContext, TracegateConfig) are kept apart from the
// epoll data plane (TracegateDataPlane) and the async control side (TracegateControl). The data
// plane depends on no Swift package at all: every byte on the request path is handled by code in
// this repository, libc, and (later) libnghttp2/OpenSSL.
import PackageDescription

/// Swift 6 language mode is the package default (tools 6.2); nothing to opt into per target.
let strict: [SwiftSetting] = []

/// The per-request code (codec and data plane) keeps all mutable state in worker-owned raw memory;
/// dynamic exclusivity checks there cost measurable time per request (swift_beginAccess in
/// profiles) and guard nothing the single-threaded worker design does not already guarantee.
/// Debug builds and tests keep them.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Tracegate",
    products: [
        .executable(name: "tracegate", targets: ["tracegate"]),
        .executable(name: "TracegateHTTPFuzz", targets: ["TracegateHTTPFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // C: what Swift cannot express (packed epoll_event, errno, sockaddr helpers).
        .target(name: "CTracegateShims"),

        // Pure policy and codecs: no I/O.
        .target(name: "TracegateHTTP", swiftSettings: hotPath),
        .target(
            name: "TracegateContext",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "TracegateConfig",
            dependencies: ["TracegateResilience", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),

        // libnghttp2 1.52 (Debian bookworm) as a system library; the shim header holds what Swift cannot import.
        .systemLibrary(
            name: "CNghttp2",
            path: "Sources/CNghttp2",
            pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]
        ),

        // The HTTP/2 session layer over nghttp2: bytes in, events out, frames pulled by the data plane.
        .target(
            name: "TracegateH2",
            dependencies: ["CNghttp2", "TracegateHTTP"],
            swiftSettings: hotPath
        ),

        // Retry, budget, breaker, outlier-ejection and mirror-selection policy: pure, clock-injected
        // state owned by one worker, standard library only.
        .target(name: "TracegateResilience", swiftSettings: strict),

        // The epoll data plane: workers, connections, exchanges, upstream pools.
        .target(
            name: "TracegateDataPlane",
            dependencies: [
                "CTracegateShims", "TracegateHTTP", "TracegateContext", "TracegateConfig", "TracegateH2", "TracegateTLS",
                "TracegateResilience",
            ],
            swiftSettings: hotPath
        ),

        // System OpenSSL 3.0 (Debian libssl-dev) with static inline wrappers for the macros Swift
        // cannot import. Distinct from swift-crypto's BoringSSL, whose symbols are all prefixed.
        .systemLibrary(
            name: "CTracegateOpenSSL",
            path: "Sources/CTracegateOpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),

        // TLS for the data plane: server/client contexts (ALPN, SNI, resumption) and a POD
        // connection handle driven by the epoll workers with non-blocking sockets.
        .target(name: "TracegateTLS", dependencies: ["CTracegateOpenSSL"], swiftSettings: hotPath),

        // Span export over OTLP/HTTP protobuf, on its own control-side thread (generated OTLP code
        // committed under Generated/; see its README).
        .target(
            name: "TracegateTelemetry",
            dependencies: [
                "TracegateContext", "TracegateHTTP", "CTracegateShims",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Generated/README.md"],
            swiftSettings: strict
        ),

        // The control side: start-up, signals, reload, drain, admin listener, demo upstream.
        .target(
            name: "TracegateControl",
            dependencies: [
                "TracegateDataPlane", "TracegateConfig", "TracegateHTTP", "CTracegateShims", "TracegateTelemetry", "TracegateH2", "TracegateTLS",
                "TracegateResilience",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tracegate",
            dependencies: [
                "TracegateControl", "TracegateConfig", "TracegateDataPlane", "TracegateContext",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // libFuzzer entry point for the HTTP/1 parser. One binary works both as a libFuzzer target
        // (built with -sanitize=fuzzer,address; see Fuzz/README.md) and as a corpus replayer.
        .target(name: "CTracegateFuzzDriver", path: "Fuzz/Sources/CTracegateFuzzDriver"),
        .executableTarget(
            name: "TracegateHTTPFuzz",
            dependencies: ["TracegateHTTP", "CTracegateFuzzDriver"],
            path: "Fuzz/Sources/TracegateHTTPFuzz"
        ),

        // Test support: fixtures, the proxy process harness, external tools.
        .target(name: "TracegateTestSupport", path: "Tests/TracegateTestSupport"),

        .testTarget(name: "TracegateTestSupportTests", dependencies: ["TracegateTestSupport"]),
        .testTarget(name: "TracegateHTTPTests", dependencies: ["TracegateHTTP"]),
        .testTarget(name: "TracegateH2Tests", dependencies: ["TracegateH2", "TracegateHTTP", "CNghttp2", "TracegateTestSupport"]),
        .testTarget(name: "TracegateResilienceTests", dependencies: ["TracegateResilience", "TracegateContext"]),
        .testTarget(
            name: "TracegateTelemetryTests",
            dependencies: [
                "TracegateTelemetry", "TracegateTestSupport", "TracegateContext",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(
            name: "TracegateTLSTests",
            dependencies: [
                "TracegateTLS", "TracegateTestSupport",
                // Links swift-crypto's BoringSSL next to the system OpenSSL, as `tracegate` does.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "TracegateContextTests", dependencies: ["TracegateContext"]),
        .testTarget(name: "TracegateConfigTests", dependencies: ["TracegateConfig", "TracegateResilience"]),
        .testTarget(name: "TracegateDataPlaneTests", dependencies: ["TracegateDataPlane", "TracegateHTTP"]),
        .testTarget(
            name: "TracegateControlTests",
            dependencies: ["TracegateControl", "TracegateDataPlane", "TracegateConfig", "TracegateResilience", "TracegateHTTP"]
        ),
        .testTarget(
            name: "TracegateIntegrationTests",
            // Yams: the deploy tests read the Kubernetes manifests and the config they embed.
            dependencies: ["TracegateTestSupport", "tracegate", .product(name: "Yams", package: "Yams")]
        ),
    ]
)
