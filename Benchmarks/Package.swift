// swift-tools-version: 6.2

import PackageDescription

let package = Package(
    name: "essaouira-sync-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".root/essaouira-sync"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ReplicatedWrite",
            dependencies: [
                .product(name: "SyncCore", package: "essaouira-sync"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ReplicatedWrite",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SyncPath",
            dependencies: [
                .product(name: "SyncCore", package: "essaouira-sync"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SyncPath",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "WriteCost",
            dependencies: [
                .product(name: "SyncCore", package: "essaouira-sync"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Probes/WriteCost"
        ),
        .executableTarget(
            name: "SyncCost",
            dependencies: [.product(name: "SyncCore", package: "essaouira-sync")],
            path: "Probes/SyncCost"
        ),
        .executableTarget(
            name: "MergeCost",
            dependencies: [.product(name: "SyncCore", package: "essaouira-sync")],
            path: "Probes/MergeCost"
        ),
        .executableTarget(
            name: "StorageCollect",
            dependencies: [.product(name: "SyncCore", package: "essaouira-sync")],
            path: "Probes/StorageCollect"
        ),
        .executableTarget(
            name: "DashboardData",
            dependencies: [.product(name: "SyncCore", package: "essaouira-sync")],
            path: "Probes/DashboardData"
        ),
        .executableTarget(
            name: "IncrementalCost",
            dependencies: [.product(name: "SyncCore", package: "essaouira-sync")],
            path: "Probes/IncrementalCost"
        ),
    ]
)
