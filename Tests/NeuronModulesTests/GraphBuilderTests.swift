import Networks
import Tensors
import Testing

@testable import NeuronModules

@Suite struct GraphBuilderTests {
  /// MLP 2-3-2 with hand-set weights; unit 2 of the hidden layer has no weights at all.
  func tinyMLP() throws -> Network<Float> {
    var network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [2, 3, 2])), seed: 0)
    network.parameters["layers.0.weight"] = Tensor(rows: [[1, -2], [0.5, 0], [0, 0]])
    network.parameters["layers.1.weight"] = Tensor(rows: [[-3, 4, 0], [0, 0.25, 0]])
    return network
  }

  @Test func mlpEdgesAreAbsoluteWeights() throws {
    let graph = try NeuronGraph(mlpWeightsOf: tiny())
    #expect(graph.nodeCount == 7)
    #expect(graph.nodes.map(\.layerName) == ["input", "input", "layers.0", "layers.0", "layers.0", "layers.1", "layers.1"])
    #expect(graph.nodes.map(\.layer) == [0, 0, 1, 1, 1, 2, 2])
    #expect(graph.nodes[4].unit == 2)
    let a = graph.adjacency.dense()
    // Input unit u -- hidden unit o: |W0[o, u]| (nodes 0-1 input, 2-4 hidden, 5-6 output).
    #expect(a[0, 2] == 1 && a[1, 2] == 2 && a[0, 3] == 0.5 && a[1, 3] == 0)
    #expect(a[2, 5] == 3 && a[3, 5] == 4 && a[3, 6] == 0.25 && a[2, 6] == 0)
    #expect(a == a.transposed())
    #expect(graph.adjacency.storedEntryCount == 2 * 6)
    // The hidden unit without weights is isolated: no clustering label.
    #expect(graph.isolatedNodes == [4])
    #expect(graph.liveNodes == [0, 1, 2, 3, 5, 6])
    let partition = try graph.spectralClustering(.init(clusterCount: 2))
    #expect(partition.labels[4] == -1)
    #expect(partition.labels.filter { $0 >= 0 }.count == 6)
  }

  func tiny() throws -> Network<Float> { try tinyMLP() }

  @Test func mlpInputAndOutputCanBeLeftOut() throws {
    let network = try tiny()
    let hiddenOnly = try NeuronGraph(mlpWeightsOf: network, options: .init(includeInputUnits: false, includeOutputUnits: false))
    #expect(hiddenOnly.nodeCount == 3)
    #expect(hiddenOnly.liveNodes.isEmpty)
    #expect(throws: NeuronModulesError.emptyGraph) { try hiddenOnly.spectralClustering(.init(clusterCount: 2)) }
    let noInput = try NeuronGraph(mlpWeightsOf: network, options: .init(includeInputUnits: false))
    // Layer indices still name the network's layers.
    #expect(noInput.nodes.map(\.layer) == [1, 1, 1, 2, 2])
    #expect(noInput.adjacency.dense()[1, 3] == 4)
  }

  @Test func mlpBuilderRejectsOtherNetworks() throws {
    var network = try tiny()
    network.parameters["layers.1.weight"] = Tensor(rows: [[.nan, 0, 0], [0, 0, 0]])
    #expect(throws: NeuronModulesError.invalidParameter(name: "layers.1.weight", reason: "contains NaN or infinity")) {
      try NeuronGraph(mlpWeightsOf: network)
    }
    let cnn = try Network<Float>(architecture: .cnn(tinyCNNArchitecture()), seed: 0)
    #expect(throws: NeuronModulesError.self) { try NeuronGraph(mlpWeightsOf: cnn) }
  }

  func tinyCNNArchitecture() -> CNNArchitecture {
    CNNArchitecture(
      inputShape: [1, 4, 4],
      convolutions: [
        .init(channels: 2, kernelSize: 2, padding: 0),
        .init(channels: 3, kernelSize: 2, padding: 0, batchNorm: true),
      ],
      denseWidths: [4])
  }

  /// Kernel entries `K[o, i, h, w]` chosen so that L1 and max-column-sum differ.
  func tinyCNN() throws -> Network<Float> {
    var network = try Network<Float>(architecture: .cnn(tinyCNNArchitecture()), seed: 0)
    // conv.0: [2, 1, 2, 2].
    network.parameters["conv.0.weight"] = Tensor(shape: [2, 1, 2, 2], scalars: [1, -1, 2, 0, 0, 0, 0, -3])
    // conv.1: [3, 2, 2, 2]; slice (o, i) is [[a, b], [c, d]].
    network.parameters["conv.1.weight"] = Tensor(
      shape: [3, 2, 2, 2],
      scalars: [
        1, 2, 3, 4, /* o0 i0 */ -1, 0, 0, 1, /* o0 i1 */
        0, 0, 0, 0, /* o1 i0 */ 2, -2, 2, -2, /* o1 i1 */
        0.5, 0, 0, 0, /* o2 i0 */ 0, -1, 0, 0, /* o2 i1 */
      ])
    network.parameters["conv.1.bn.weight"] = Tensor([2, -1, 0.5])
    network.parameters["conv.1.bn.running_var"] = Tensor([3, 0.25, 1])
    network.parameters["conv.1.bn.running_mean"] = Tensor([5, 5, 5])  // ignored by the graph
    return network
  }

  /// gamma / sqrt(var + eps) for conv.1's BatchNorm.
  let eps = 1e-5
  func bnScale(_ o: Int) -> Double {
    let gamma = [2.0, 1.0, 0.5]  // |gamma|
    let variance = [3.0, 0.25, 1.0]
    return gamma[o] / (variance[o] + eps).squareRoot()
  }

  @Test func cnnChannelEdgesFoldBatchNorm() throws {
    let graph = try NeuronGraph(cnnWeightsOf: tinyCNN())
    // Defaults: conv.0's 2 channels and conv.1's 3 channels.
    #expect(graph.nodes.map(\.layerName) == ["conv.0", "conv.0", "conv.1", "conv.1", "conv.1"])
    #expect(graph.nodes.map(\.layer) == [1, 1, 2, 2, 2])
    let a = graph.adjacency.dense()
    func edge(_ i: Int, _ o: Int) -> Double { a[i, 2 + o] }
    let l1: [[Double]] = [[10, 2], [0, 8], [0.5, 1]]  // [o][i]
    for o in 0..<3 {
      for i in 0..<2 { #expect(Swift.abs(edge(i, o) - bnScale(o) * l1[o][i]) < 1e-12, "edge \(i) -> \(o)") }
    }
    // The induced 1-norm: largest column sum of |[[a, b], [c, d]]| = max(|a| + |c|, |b| + |d|).
    let induced = try NeuronGraph(cnnWeightsOf: tinyCNN(), options: .init(kernelNorm: .maxColumnSum)).adjacency.dense()
    let columnSums: [[Double]] = [[6, 1], [0, 4], [0.5, 1]]
    for o in 0..<3 {
      for i in 0..<2 { #expect(Swift.abs(induced[i, 2 + o] - bnScale(o) * columnSums[o][i]) < 1e-12) }
    }
  }

  @Test func cnnInputChannelsAndDenseHead() throws {
    var network = try tinyCNN()
    // conv.1's output map is 2x2, flattened channel-major into 12 features.
    let dense = (0..<(4 * 12)).map { Float(($0 % 5) - 2) }
    network.parameters["dense.0.weight"] = Tensor(shape: [4, 12], scalars: dense)
    let graph = try NeuronGraph(cnnWeightsOf: network, options: .init(includeInputChannels: true, includeDenseHead: true))
    #expect(
      graph.nodes.map(\.layerName) == [
        "input", "conv.0", "conv.0", "conv.1", "conv.1", "conv.1", "dense.0", "dense.0", "dense.0", "dense.0",
      ])
    #expect(graph.nodes.map(\.layer) == [0, 1, 1, 2, 2, 2, 3, 3, 3, 3])
    let a = graph.adjacency.dense()
    // input -> conv.0: L1 of K0[o, 0] (no BatchNorm on conv.0).
    #expect(a[0, 1] == 4 && a[0, 2] == 3)
    // conv.1 channel c -> dense unit j: sum of |W[j, 4c ..< 4c + 4]|.
    for c in 0..<3 {
      for j in 0..<4 {
        let expected = (0..<4).reduce(0.0) { $0 + Swift.abs(Double(dense[j * 12 + 4 * c + $1])) }
        #expect(a[3 + c, 6 + j] == expected)
      }
    }
    let withoutOutput = try NeuronGraph(cnnWeightsOf: network, options: .init(includeDenseHead: true, includeOutputUnits: false))
    #expect(withoutOutput.nodeCount == 5)
  }

  @Test func genericBuilderDispatches() throws {
    #expect(try NeuronGraph(weightsOf: tiny()).nodeCount == 7)
    #expect(try NeuronGraph(weightsOf: tinyCNN()).nodeCount == 5)
  }
}
