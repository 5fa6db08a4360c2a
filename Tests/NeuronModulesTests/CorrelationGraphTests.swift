import Autodiff
import Foundation
import Networks
import Tensors
import Testing

@testable import NeuronModules

/// scipy.stats.spearmanr matrices, written by scripts/make_module_graph_fixtures.py.
struct CorrelationFixtures: Decodable {
  struct Case: Decodable {
    var name: String
    var samples: Int
    var units: Int
    var widths: [Int]
    var values: [Double]
    /// Row-major `[units, units]`; nil where scipy gives NaN.
    var rho: [Double?]

    var matrix: Tensor<Double> { Tensor(shape: [samples, units], scalars: values) }

    /// Each layer's columns as `UnitActivations`, layer indices 1, 2, ...
    var layers: [UnitActivations] {
      var offset = 0
      return widths.enumerated().map { l, width in
        defer { offset += width }
        var scalars: [Double] = []
        for i in 0..<samples { scalars += values[(i * units + offset)..<(i * units + offset + width)] }
        return UnitActivations(
          layer: GraphLayer(index: l + 1, name: "h\(l)", width: width), values: Tensor(shape: [samples, width], scalars: scalars))
      }
    }
  }

  struct Ranks: Decodable {
    var values: [Double]
    var ranks: [Double]
  }

  var scipyVersion: String
  var cases: [Case]
  var ranks: [Ranks]

  static let shared: CorrelationFixtures = {
    let url = Bundle.module.url(forResource: "correlation_fixtures", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode(CorrelationFixtures.self, from: Data(contentsOf: url))
  }()

  static func named(_ name: String) -> Case { shared.cases.first { $0.name == name }! }
}

@Suite struct CorrelationGraphTests {
  @Test func averageRanksMatchScipy() {
    for item in CorrelationFixtures.shared.ranks {
      #expect(SpearmanCorrelation.averageRanks(item.values) == item.ranks, "\(item.values)")
    }
  }

  @Test func correlationsMatchScipy() throws {
    for fixture in CorrelationFixtures.shared.cases {
      let correlation = try SpearmanCorrelation(fixture.matrix)
      let m = fixture.units
      var worst = 0.0
      for i in 0..<m {
        for j in 0..<m {
          // scipy's NaN (a constant column) is 0 here.
          let expected = fixture.rho[i * m + j] ?? 0
          worst = Swift.max(worst, Swift.abs(correlation.matrix[i, j] - expected))
        }
      }
      #expect(worst < 1e-12, "\(fixture.name): max deviation \(worst)")
    }
    let small = try SpearmanCorrelation(CorrelationFixtures.named("small-ties-constant").matrix)
    #expect(small.constantColumns == [3])
    #expect(small.nonFiniteColumns.isEmpty)
    #expect(small.matrix[0, 2] == 1 && small.matrix[0, 4] == -1)
  }

  @Test func globalGraphIsSquaredCorrelationWithConstantUnitIsolated() throws {
    let fixture = CorrelationFixtures.named("small-ties-constant")
    let result = try CorrelationGraph(fixture.layers, scope: .global)
    let a = result.graph.adjacency.dense()
    let m = fixture.units
    for i in 0..<m {
      for j in 0..<m {
        let rho = fixture.rho[i * m + j] ?? 0
        let expected = i == j ? 0 : rho * rho
        #expect(Swift.abs(a[i, j] - expected) < 1e-12, "(\(i), \(j))")
      }
    }
    #expect(result.constantNodes == [3])
    #expect(result.graph.isolatedNodes == [3])
    #expect(result.graph.nodes.map(\.layerName) == ["h0", "h0", "h0", "h1", "h1", "h1", "h1"])
    #expect(result.graph.nodes[3].unit == 0 && result.graph.nodes[3].layer == 2)
    let partition = try result.graph.spectralClustering(.init(clusterCount: 2))
    #expect(partition.labels[3] == -1)
  }

  @Test func localGraphKeepsOnlyWithinLayerBlocks() throws {
    let fixture = CorrelationFixtures.named("three-layers")
    let global = try CorrelationGraph(fixture.layers, scope: .global).graph.adjacency.dense()
    let local = try CorrelationGraph(fixture.layers, scope: .local).graph.adjacency.dense()
    let layerOf = fixture.widths.enumerated().flatMap { l, w in [Int](repeating: l, count: w) }
    let m = fixture.units
    for i in 0..<m {
      for j in 0..<m {
        let rho = fixture.rho[i * m + j]!
        let squared = i == j ? 0 : rho * rho
        #expect(Swift.abs(global[i, j] - squared) < 1e-12)
        #expect(Swift.abs(local[i, j] - (layerOf[i] == layerOf[j] ? squared : 0)) < 1e-12)
      }
    }
    // Three layers with no edges between them: three components.
    #expect(try CorrelationGraph(fixture.layers, scope: .local).graph.componentCount == 3)
  }

  @Test func nonFiniteValuesIsolateTheirUnit() throws {
    let fixture = CorrelationFixtures.named("three-layers")
    var values = fixture.values
    values[5 * fixture.units + 2] = .nan
    let layer = UnitActivations(
      layer: GraphLayer(index: 1, name: "all", width: fixture.units),
      values: Tensor(shape: [fixture.samples, fixture.units], scalars: values))
    let result = try CorrelationGraph([layer], scope: .global)
    #expect(result.nonFiniteNodes == [2])
    #expect(result.graph.isolatedNodes == [2])
    #expect(result.graph.liveNodes.count == fixture.units - 1)
  }

  @Test func badShapesAreErrors() throws {
    let two = UnitActivations(
      layer: GraphLayer(index: 1, name: "h", width: 2), values: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
    #expect(throws: NeuronModulesError.self) { try CorrelationGraph([two], scope: .global) }
    let wrongWidth = UnitActivations(
      layer: GraphLayer(index: 1, name: "h", width: 3), values: Tensor(shape: [4, 2], scalars: [Double](repeating: 1, count: 8)))
    #expect(throws: NeuronModulesError.self) { try CorrelationGraph([wrongWidth], scope: .local) }
    #expect(throws: NeuronModulesError.self) { try CorrelationGraph([], scope: .global) }
  }

  /// An MLP 3-4-3-2: the graph's nodes are the 7 hidden units, and their values are the
  /// pre-activations W x + b computed here by hand.
  @Test func mlpGraphUsesHiddenPreActivations() throws {
    let network = try Network<Double>(architecture: .mlp(MLPArchitecture(widths: [3, 4, 3, 2])), seed: 5)
    var generator = SeededGenerator(seed: 2)
    let n = 30
    let inputs = Tensor<Double>(shape: [n, 3], scalars: (0..<(n * 3)).map { _ in generator.nextStandardNormal() })
    let result = try CorrelationGraph(network: network, inputs: inputs, scope: .global, batchSize: 7)
    #expect(
      result.graph.nodes.map(\.layerName) == ["layers.0", "layers.0", "layers.0", "layers.0", "layers.1", "layers.1", "layers.1"])
    #expect(result.graph.nodes.map(\.layer) == [1, 1, 1, 1, 2, 2, 2])
    // Pre-activations by hand: z0 = W0 x + b0, z1 = W1 relu(z0) + b1.
    func affine(_ x: [Double], _ name: String) -> [Double] {
      let w = network.parameters["\(name).weight"]!
      let b = network.parameters["\(name).bias"]!
      return (0..<w.shape[0]).map { o in (0..<w.shape[1]).reduce(b[o]) { $0 + w[o, $1] * x[$1] } }
    }
    var values = [Double]()
    for i in 0..<n {
      let z0 = affine((0..<3).map { inputs[i, $0] }, "layers.0")
      let z1 = affine(z0.map { Swift.max(0, $0) }, "layers.1")
      values += z0 + z1
    }
    let expected = try SpearmanCorrelation(Tensor(shape: [n, 7], scalars: values)).matrix
    let a = result.graph.adjacency.dense()
    for i in 0..<7 {
      for j in 0..<7 where i != j { #expect(Swift.abs(a[i, j] - expected[i, j] * expected[i, j]) < 1e-12) }
    }
  }

  /// A layer whose incoming weights and biases are all zero has constant pre-activations: its
  /// units are listed as constant and isolated.
  @Test func constantLayerIsIsolated() throws {
    var network = try Network<Double>(architecture: .mlp(MLPArchitecture(widths: [3, 4, 3, 2])), seed: 5)
    network.parameters["layers.1.weight"] = Tensor<Double>.zeros([3, 4])
    network.parameters["layers.1.bias"] = Tensor<Double>.zeros([3])
    var generator = SeededGenerator(seed: 2)
    let inputs = Tensor<Double>(shape: [20, 3], scalars: (0..<60).map { _ in generator.nextStandardNormal() })
    let result = try CorrelationGraph(network: network, inputs: inputs, scope: .global)
    #expect(result.constantNodes == [4, 5, 6])
    #expect(result.graph.isolatedNodes == [4, 5, 6])
    #expect(throws: NeuronModulesError.tooManyClusters(requested: 5, liveNodes: 4)) {
      try result.graph.spectralClustering(.init(clusterCount: 5))
    }
  }

  /// A CNN's channel value on an input is the Euclidean norm of its map after BatchNorm.
  @Test func cnnChannelsAreSpatialNorms() throws {
    let architecture = CNNArchitecture(
      inputShape: [1, 6, 6], convolutions: [.init(channels: 3, batchNorm: true)], denseWidths: [4, 2])
    var network = try Network<Double>(architecture: .cnn(architecture), seed: 1)
    network.parameters["conv.0.bn.weight"] = Tensor([1.5, -0.5, 2])
    network.parameters["conv.0.bn.running_var"] = Tensor([0.5, 2, 1])
    var generator = SeededGenerator(seed: 3)
    let n = 12
    let inputs = Tensor<Double>(shape: [n, 1, 6, 6], scalars: (0..<(n * 36)).map { _ in generator.nextStandardNormal() })
    let result = try CorrelationGraph(network: network, inputs: inputs, scope: .global)
    #expect(result.graph.nodes.map(\.layerName) == ["conv.0", "conv.0", "conv.0", "dense.0", "dense.0", "dense.0", "dense.0"])
    let captured = try network.forward(Variable(inputs), options: ForwardOptions(capture: ["conv.0.norm", "dense.0.pre"]))
    let maps = captured.captured["conv.0.norm"]!.value
    let dense = captured.captured["dense.0.pre"]!.value
    let area = maps.count / (n * 3)
    var values: [Double] = []
    for i in 0..<n {
      for c in 0..<3 {
        let base = (i * 3 + c) * area
        values.append((0..<area).reduce(0) { $0 + maps.scalars[base + $1] * maps.scalars[base + $1] }.squareRoot())
      }
      for u in 0..<4 { values.append(dense[i, u]) }
    }
    let expected = try SpearmanCorrelation(Tensor(shape: [n, 7], scalars: values)).matrix
    let a = result.graph.adjacency.dense()
    for i in 0..<7 {
      for j in 0..<7 where i != j { #expect(Swift.abs(a[i, j] - expected[i, j] * expected[i, j]) < 1e-12) }
    }
  }
}
