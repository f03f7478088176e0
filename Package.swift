// swift-tools-version: 6.0
// TabCorr: correlation-preserving synthetic tabular data. No package dependencies by design.
import PackageDescription

/// Hot kernels need the host's vector ISA: without a target CPU each `SIMD16<Float>` FMA compiles
/// to scalar `fmaf` calls. Set `TABCORR_PORTABLE=1` to build for the generic x86-64/arm64 baseline.
let portable = Context.environment["TABCORR_PORTABLE"] != nil
let optimised: [SwiftSetting] = portable ? [] : [.unsafeFlags(["-target-cpu", "native"])]
let settings: [SwiftSetting] = optimised + [.enableUpcomingFeature("ExistentialAny")]
/// The tensor kernels are optimised in debug builds too: unoptimised SIMD code is ~100× slower,
/// which would make the test suite (which trains small GANs) crawl.
let kernelSettings: [SwiftSetting] = settings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "TabCorr",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tabcorr", targets: ["tabcorr"]),
        .library(name: "TabCorrLab", targets: ["Lab"]),
    ],
    dependencies: [],
    targets: [
        .target(name: "TensorKit", swiftSettings: kernelSettings),
        .target(name: "NeuralNet", dependencies: ["TensorKit"], swiftSettings: settings),
        .target(name: "TabularData", exclude: ["README.md"], swiftSettings: settings),
        .target(name: "Figures", swiftSettings: settings),
        .target(name: "Evaluation", dependencies: ["TensorKit", "NeuralNet", "TabularData"], swiftSettings: settings),
        .target(name: "Synthesis", dependencies: ["TensorKit", "NeuralNet", "TabularData", "Evaluation"], swiftSettings: settings),
        .target(name: "Lab", dependencies: ["TensorKit", "NeuralNet", "TabularData", "Evaluation", "Synthesis", "Figures"], swiftSettings: settings),
        .executableTarget(name: "tabcorr", dependencies: ["Lab"], swiftSettings: settings),

        .target(name: "TestSupport", dependencies: ["TensorKit"], path: "Tests/TestSupport", swiftSettings: settings),
        .testTarget(name: "TensorKitTests", dependencies: ["TensorKit", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "TabularDataTests", dependencies: ["TabularData", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: settings),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: settings),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "SynthesisTests", dependencies: ["Synthesis", "Evaluation", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "LabTests", dependencies: ["Lab", "TestSupport"], swiftSettings: settings),
    ]
)
