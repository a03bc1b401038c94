// swift-tools-version: 6.0
//
// Martlet: a Kafka-compatible broker. Module map and allowed dependencies: docs/architecture.md
// (enforced by scripts/check-imports.sh). Dependencies point one way:
//   martlet → Broker → BrokerServer → BrokerAPI → LogStorage → KafkaRecords → BrokerCore
//   KafkaProtocol → BrokerCore (no I/O)
import PackageDescription

let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")

let package = Package(
    name: "Martlet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "martlet", targets: ["martlet"]),
        .executable(name: "MessageGenerator", targets: ["MessageGenerator"]),
        .executable(name: "RequestDecoderFuzzer", targets: ["RequestDecoderFuzzer"]),
        // Libraries for the benchmark package (Benchmarks/Package.swift depends on this one by path).
        .library(name: "BrokerCore", targets: ["BrokerCore"]),
        .library(name: "KafkaProtocol", targets: ["KafkaProtocol"]),
        .library(name: "KafkaRecords", targets: ["KafkaRecords"]),
        .library(name: "LogStorage", targets: ["LogStorage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        // MARK: Layer 0: shared vocabulary (typed ids, offsets, epochs, clocks, error codes)
        .target(name: "BrokerCore"),

        // MARK: Layer 1: wire codec, generated from Kafka's JSON specs (no I/O)
        .target(name: "KafkaProtocol", dependencies: ["BrokerCore", nioCore]),

        // MARK: Layer 2: record batches (v2 format, CRC-32C)
        .target(name: "CCRC32C", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "KafkaRecords", dependencies: ["BrokerCore", "CCRC32C", nioCore]),

        // MARK: Layer 3: segment-file log storage
        .target(
            name: "LogStorage",
            dependencies: [
                "BrokerCore", "KafkaRecords", nioCore, logging,
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]),

        // MARK: Layer 4: partition and replica layer (ISR, high watermark, purgatory, producer state)
        .target(name: "Replication", dependencies: ["BrokerCore", "KafkaRecords", "LogStorage", nioCore, logging]),

        // MARK: Layer 4: cluster coordination (ZooKeeper, in Kafka's znode layout)
        .target(
            name: "CZooKeeper",
            cSettings: [.unsafeFlags(["-I/usr/include/zookeeper"])],
            linkerSettings: [.linkedLibrary("zookeeper_mt")]),
        .target(name: "Coordination", dependencies: ["BrokerCore", logging]),
        .target(name: "ZooKeeperCoordination", dependencies: ["Coordination", "CZooKeeper", "BrokerCore", logging]),
        .target(name: "Controller", dependencies: ["BrokerCore", "Coordination", logging]),

        // MARK: Layer 4: classic consumer-group coordinator (state in __consumer_offsets)
        .target(
            name: "GroupCoordination",
            dependencies: [
                "BrokerCore", "KafkaProtocol", "KafkaRecords", nioCore, logging,
                .product(name: "DequeModule", package: "swift-collections"),
            ]),

        // MARK: Layer 5: API handlers (one Kafka API per file) and the registry
        .target(
            name: "BrokerAPI",
            dependencies: [
                "BrokerCore", "KafkaProtocol", "KafkaRecords", "LogStorage", "Replication", "GroupCoordination",
                nioCore, logging,
            ]),

        // MARK: Layer 6: network server (SwiftNIO)
        .target(
            name: "BrokerServer",
            dependencies: ["BrokerCore", "KafkaProtocol", "BrokerAPI", nioCore, nioPosix, logging]),

        // MARK: Layer 6: Kafka protocol client (controller → broker requests, later replica fetchers)
        .target(
            name: "KafkaClient",
            dependencies: ["BrokerCore", "KafkaProtocol", nioCore, nioPosix, logging]),

        // MARK: Layer 6: follower replication (fetchers pulling from partition leaders)
        .target(
            name: "ReplicaFetcher",
            dependencies: [
                "BrokerCore", "KafkaProtocol", "KafkaRecords", "LogStorage", "Replication", "KafkaClient",
                nioCore, nioPosix, logging,
            ]),

        // MARK: Layer 6: admin tooling over the wire (`martlet topics`, `martlet groups`)
        .target(
            name: "MartletAdmin",
            dependencies: ["BrokerCore", "KafkaProtocol", "KafkaClient", nioCore, nioPosix, logging]),

        // MARK: Layer 7: composition root (config, wiring, lifecycle)
        .target(
            name: "Broker",
            dependencies: [
                "BrokerCore", "KafkaProtocol", "LogStorage", "BrokerAPI", "BrokerServer", "KafkaClient",
                "Coordination", "ZooKeeperCoordination", "Controller", "Replication", "GroupCoordination",
                "ReplicaFetcher", "KafkaRecords",
                nioCore, nioPosix, logging, .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),

        // MARK: Layer 8: executable
        .executableTarget(
            name: "martlet",
            dependencies: [
                "Broker", "MartletAdmin", logging,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: Tools
        .executableTarget(name: "MessageGenerator"),
        .executableTarget(name: "RequestDecoderFuzzer", dependencies: ["KafkaProtocol", nioCore]),

        // MARK: Test support (never imported from Sources/)
        .target(
            name: "BrokerTestSupport",
            dependencies: [
                "BrokerCore", "LogStorage", nioCore, .product(name: "SystemPackage", package: "swift-system"),
            ]),

        // MARK: Tests, one target per module
        .testTarget(name: "BrokerCoreTests", dependencies: ["BrokerCore", "BrokerTestSupport"]),
        .testTarget(
            name: "KafkaProtocolTests",
            dependencies: ["KafkaProtocol", nioCore, .product(name: "NIOTestUtils", package: "swift-nio")],
            resources: [.copy("Golden")]),
        .testTarget(name: "KafkaRecordsTests", dependencies: ["KafkaRecords", "CCRC32C", nioCore]),
        .testTarget(
            name: "LogStorageTests",
            dependencies: [
                "LogStorage", "KafkaRecords", "BrokerTestSupport", nioCore,
                .product(name: "SystemPackage", package: "swift-system"),
            ]),
        .testTarget(
            name: "BrokerAPITests",
            dependencies: [
                "BrokerAPI", "BrokerCore", "KafkaProtocol", "BrokerTestSupport", "Replication", "LogStorage",
                "KafkaRecords", nioCore, .product(name: "NIOEmbedded", package: "swift-nio"),
                nioPosix,
            ]),
        .testTarget(
            name: "BrokerServerTests",
            dependencies: [
                "BrokerServer", "BrokerAPI", "KafkaProtocol", nioCore, nioPosix,
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]),
        .testTarget(
            name: "ReplicationTests",
            dependencies: [
                "Replication", "LogStorage", "KafkaRecords", "BrokerTestSupport", nioCore,
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(name: "CoordinationTests", dependencies: ["Coordination", "BrokerCore", "BrokerTestSupport"]),
        .testTarget(name: "ZooKeeperCoordinationTests", dependencies: ["ZooKeeperCoordination", "Coordination", "BrokerCore"]),
        .testTarget(
            name: "ControllerTests",
            dependencies: ["Controller", "Coordination", "ZooKeeperCoordination", "BrokerCore", "BrokerTestSupport"]),
        .testTarget(
            name: "KafkaClientTests",
            dependencies: ["KafkaClient", "KafkaProtocol", "BrokerServer", "BrokerAPI", "BrokerCore", nioCore, nioPosix]),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", "BrokerCore", nioCore]),
        .testTarget(
            name: "GroupCoordinationTests",
            dependencies: ["GroupCoordination", "BrokerCore", "KafkaProtocol", "KafkaRecords", "BrokerTestSupport", nioCore]),
        .testTarget(
            name: "ReplicaFetcherTests",
            dependencies: [
                "ReplicaFetcher", "Replication", "LogStorage", "KafkaRecords", "KafkaProtocol", "KafkaClient",
                "BrokerServer", "BrokerAPI", "BrokerCore", "BrokerTestSupport", nioCore, nioPosix,
            ]),
        .testTarget(
            name: "MartletAdminTests",
            dependencies: ["MartletAdmin", "KafkaProtocol", "KafkaClient", "BrokerServer", "BrokerAPI", "BrokerCore", nioCore, nioPosix]),
    ],
    swiftLanguageModes: [.v6]
)

// Release builds of Martlet's own Swift modules skip the runtime exclusivity checks
// (`swift_beginAccess` on class properties and globals: ~3% of broker CPU on the produce path,
// docs/performance.md). Debug builds, and so every unit test run, keep them.
let cTargets: Set<String> = ["CCRC32C", "CZooKeeper"]
for target in package.targets where target.type != .test && !cTargets.contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
    ]
}
