// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// AVX2 and FMA code generation for the vectorized kernels of the exact Gromov-Wasserstein
/// solver when the machine that builds (and runs) NetAtlas has them: the row scans of the
/// assignment solver are about twice as fast as with the baseline x86-64 instruction set.
/// `NETATLAS_PORTABLE=1` builds for the baseline.
let vectorKernelSettings: [SwiftSetting] = {
  #if arch(x86_64) && os(Linux)
    let wanted: Set<Substring> = ["avx2", "fma", "bmi2"]
    let portable = ProcessInfo.processInfo.environment["NETATLAS_PORTABLE"] != nil
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let flags = cpu.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
    if !portable && wanted.isSubset(of: Set(flags.split(separator: " "))) {
      return [.unsafeFlags(["-target-cpu", "haswell"])]
    }
  #endif
  return []
}()

let package = Package(
  name: "NetAtlas",
  platforms: [.macOS(.v14)],
  products: [
    .library(
      name: "NetAtlas",
      targets: [
        "Tensors", "Autodiff", "TensorIO", "Networks", "Reports", "Recipes", "Datasets", "LayerSimilarity", "NeuronModules",
        "InteractionBasis", "Analyses",
      ]),
    .executable(name: "netatlas", targets: ["netatlas"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
  ],
  targets: [
    .systemLibrary(
      name: "CLinearAlgebra",
      path: "Sources/CLinearAlgebra",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
    ),
    .target(
      name: "Tensors",
      dependencies: ["CLinearAlgebra", .product(name: "RealModule", package: "swift-numerics")]
    ),
    .target(name: "Autodiff", dependencies: ["Tensors"]),
    .target(name: "TensorIO", dependencies: ["Tensors", "ZIPFoundation"]),
    .target(name: "Networks", dependencies: ["Tensors", "Autodiff", "TensorIO"]),
    .target(name: "Reports"),
    .target(name: "Recipes", dependencies: ["Datasets", "Networks", "Tensors"]),
    .target(name: "Datasets", dependencies: ["Tensors", "TensorIO", "Networks"], resources: [.copy("Resources")]),
    .target(name: "LayerSimilarity", dependencies: ["Tensors", "TensorIO"], swiftSettings: vectorKernelSettings),
    .target(name: "NeuronModules", dependencies: ["Tensors", "Autodiff", "TensorIO", "Networks"]),
    .target(
      name: "Analyses",
      dependencies: [
        "Tensors", "Autodiff", "TensorIO", "Networks", "Reports", "Recipes", "Datasets", "LayerSimilarity", "NeuronModules",
        "InteractionBasis",
      ]),
    .target(
      name: "Benchmarks",
      dependencies: [
        "CLinearAlgebra", "Tensors", "Autodiff", "TensorIO", "Networks", "Recipes", "Datasets", "LayerSimilarity",
        "NeuronModules", "InteractionBasis", "Analyses",
      ], swiftSettings: vectorKernelSettings),
    .target(name: "InteractionBasis", dependencies: ["Tensors", "Autodiff", "TensorIO", "Networks", "Reports"]),
    .executableTarget(
      name: "netatlas",
      dependencies: [
        "CLinearAlgebra", "Tensors", "Autodiff", "TensorIO", "Networks", "Reports", "Recipes", "Datasets", "LayerSimilarity",
        "NeuronModules", "InteractionBasis", "Analyses", "Benchmarks",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "TensorsTests", dependencies: ["Tensors"], resources: [.copy("Fixtures")]),
    .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "Tensors"]),
    .testTarget(name: "NetworksTests", dependencies: ["Networks", "Autodiff", "Tensors"], resources: [.copy("Fixtures")]),
    .testTarget(name: "RecipesTests", dependencies: ["Recipes", "Datasets", "Networks"]),
    .testTarget(name: "CLITests", dependencies: ["netatlas", "Analyses", "Networks", "TensorIO", "Tensors"]),
    .testTarget(name: "ReportsTests", dependencies: ["Reports"]),
    .testTarget(name: "TensorIOTests", dependencies: ["TensorIO", "Tensors"], resources: [.copy("Fixtures")]),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Tensors", "Networks"]),
    .testTarget(name: "LayerSimilarityTests", dependencies: ["LayerSimilarity", "Tensors"], resources: [.copy("Fixtures")]),
    .testTarget(
      name: "NeuronModulesTests", dependencies: ["NeuronModules", "Tensors", "Autodiff", "Networks"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "InteractionBasisTests", dependencies: ["InteractionBasis", "Networks", "Autodiff", "Tensors", "TensorIO", "Datasets"],
      resources: [.copy("Fixtures")]),
  ],
  swiftLanguageModes: [.v6]
)
