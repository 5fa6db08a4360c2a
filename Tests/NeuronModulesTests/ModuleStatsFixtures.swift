import Foundation
import Networks
import Tensors

@testable import NeuronModules

/// Reference values from scipy/numpy, written by scripts/make_module_stats_fixtures.py.
struct ModuleStatsFixtures: Decodable {
  struct Fisher: Decodable {
    var randomSetCount: Int
    var pValues: [Double]
    var statistic: Double
    var pValue: Double
  }

  struct ChiSquare: Decodable {
    var x: Double
    var degreesOfFreedom: Int
    var survival: Double
  }

  struct BenjaminiHochberg: Decodable {
    var pValues: [Double]
    var alpha: Double
    var adjusted: [Double]
    var rejected: [Bool]
  }

  struct Entropy: Decodable {
    var weights: [Double]
    var entropy: Double
  }

  struct Fourier: Decodable {
    var height: Int
    var width: Int
    var decayPower: Double
    var real: [Double]
    var imaginary: [Double]
    var image: [Double]
  }

  var fisher: [Fisher]
  var chi2: [ChiSquare]
  var bh: [BenjaminiHochberg]
  var entropy: [Entropy]
  var fourier: [Fourier]

  static let shared: ModuleStatsFixtures = {
    let url = Bundle.module.url(forResource: "module_stats_fixtures", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode(ModuleStatsFixtures.self, from: Data(contentsOf: url))
  }()
}

/// A network whose hidden units have known roles, for tests with known answers.
///
/// MLP 4-20-5 (ReLU). Input: a one-hot class vector (classes 0-3). Hidden units `3c..<3c+3`
/// copy input `c` and each alone is enough for class `c` (logit `c` = their sum, while the
/// "reject" logit 4 has bias 0.5): only lesioning all three loses class `c`, which then goes
/// to class 4. Units 12-15 are inert (they read every input but feed nothing), units 16-19
/// never fire (weights -1, bias -0.1) but feed logit 0.
enum ClassUnits {
  static let classes = 4
  static let hiddenWidth = 20

  static func network<Scalar: TensorScalar>(_: Scalar.Type = Float.self) throws -> Network<Scalar> {
    var network = try Network<Scalar>(architecture: .mlp(MLPArchitecture(widths: [4, hiddenWidth, 5])), seed: 0)
    var w0 = [Scalar](repeating: 0, count: hiddenWidth * 4)
    var b0 = [Scalar](repeating: 0, count: hiddenWidth)
    var w1 = [Scalar](repeating: 0, count: 5 * hiddenWidth)
    for u in 0..<12 {
      w0[u * 4 + u / 3] = 1
      w1[(u / 3) * hiddenWidth + u] = 1
    }
    for u in 12..<16 { for i in 0..<4 { w0[u * 4 + i] = 0.5 } }
    for u in 16..<20 {
      for i in 0..<4 { w0[u * 4 + i] = -1 }
      b0[u] = -0.1
      w1[u] = 1
    }
    network.parameters["layers.0.weight"] = Tensor(shape: [hiddenWidth, 4], scalars: w0)
    network.parameters["layers.0.bias"] = Tensor(b0)
    network.parameters["layers.1.weight"] = Tensor(shape: [5, hiddenWidth], scalars: w1)
    network.parameters["layers.1.bias"] = Tensor([0, 0, 0, 0, 0.5])
    return network
  }

  /// 40 samples, sample `i` of class `i % 4` with input `(1 + i / 4) e_c` (integer division:
  /// magnitudes 1 to 10, so that magnitude dominates the ranking of examples by units that
  /// respond to every class).
  static func data<Scalar: TensorScalar>(_: Scalar.Type = Float.self) -> LabeledData<Scalar> {
    var inputs = [Scalar](repeating: 0, count: 40 * 4)
    for i in 0..<40 { inputs[i * 4 + i % 4] = Scalar(1 + i / 4) }
    return LabeledData(inputs: Tensor(shape: [40, 4], scalars: inputs), labels: (0..<40).map { $0 % 4 }, classes: 5)
  }

  /// Hidden clusters: class `c`'s units -> `c`, inert -> 4, silent -> 5; other nodes -> 6 (or -1 if isolated).
  static func labels(_ graph: NeuronGraph) -> [Int] {
    graph.nodes.enumerated().map { index, node in
      guard node.layerName == "layers.0" else { return graph.liveNodes.contains(index) ? 6 : -1 }
      return node.unit < 12 ? node.unit / 3 : node.unit < 16 ? 4 : 5
    }
  }

  /// The sub-clusters of ``labels(_:)``. With the default seed no random set of the class
  /// sub-clusters is itself a class triple (for 19 or 99 sets), so their lesions beat all random ones.
  static func subClusters(randomSetCount: Int = 19, seed: UInt64 = 2) throws -> (Network<Float>, [SubCluster]) {
    let network: Network<Float> = try ClassUnits.network()
    let graph = try NeuronGraph(mlpWeightsOf: network)
    let subClusters = try graph.subClusters(
      labels: labels(graph), network: network, options: .init(randomSetCount: randomSetCount, seed: seed))
    return (network, subClusters)
  }
}
