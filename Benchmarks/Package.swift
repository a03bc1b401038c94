// swift-tools-version: 6.1
//
// Storage benchmarks (ordo-one/benchmark). Run in release mode:
//   cd Benchmarks && swift package --scratch-path .build benchmark --target StorageBenchmarks
//
// The modules under test come from the main package (`.package(path: "..")`).
import PackageDescription

let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")

let package = Package(
    name: "MartletBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(name: "Martlet", path: ".."),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        .executableTarget(
            name: "StorageBenchmarks",
            dependencies: [
                .product(name: "LogStorage", package: "Martlet"),
                .product(name: "KafkaRecords", package: "Martlet"),
                .product(name: "BrokerCore", package: "Martlet"),
                nioCore,
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/StorageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ],
    swiftLanguageModes: [.v6]
)
