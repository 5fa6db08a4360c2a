import Networks
import Tensors
import Testing

@testable import NeuronModules

@Suite struct SubClusterTests {
  @Test func hiddenLayerClustersBecomeSubClusters() throws {
    let (_, subClusters) = try ClassUnits.subClusters()
    #expect(subClusters.map(\.cluster) == [0, 1, 2, 3, 4, 5])
    #expect(subClusters.allSatisfy { $0.layer == 1 && $0.layerName == "layers.0" && $0.site == "layers.0.pre" })
    #expect(subClusters[1].units == [3, 4, 5])
    #expect(subClusters[5].units == [16, 17, 18, 19])
    #expect(subClusters[5].nodes == [4 + 16, 4 + 17, 4 + 18, 4 + 19])
    #expect(subClusters.allSatisfy { $0.liveUnitCount == 20 && $0.layerWidth == 20 })
    for subCluster in subClusters {
      #expect(subCluster.randomUnitSets.count == 19)
      for set in subCluster.randomUnitSets {
        #expect(set.count == subCluster.size && set == set.sorted() && Set(set).count == set.count)
        #expect(set.allSatisfy { (0..<20).contains($0) })
      }
    }
    // Seeded: the same seed gives the same sets, another seed others.
    #expect(try ClassUnits.subClusters().1 == subClusters)
    #expect(try ClassUnits.subClusters(seed: 3).1 != subClusters)
  }

  @Test func sizeLimitsAndDeadUnits() throws {
    let network: Network<Float> = try ClassUnits.network()
    let graph = try NeuronGraph(mlpWeightsOf: network)
    var labels = ClassUnits.labels(graph)
    let hidden = graph.nodes.indices.filter { graph.nodes[$0].layerName == "layers.0" }
    // Unit 0 alone in cluster 7 (too small); units 16-19 dead (-1): 16 live units remain.
    labels[hidden[0]] = 7
    for u in 16..<20 { labels[hidden[u]] = -1 }
    let subClusters = try graph.subClusters(labels: labels, network: network, options: .init(randomSetCount: 200, seed: 3))
    #expect(subClusters.map(\.cluster) == [0, 1, 2, 3, 4])
    #expect(subClusters[0].units == [1, 2])
    #expect(subClusters.allSatisfy { $0.liveUnitCount == 16 })
    for subCluster in subClusters {
      for set in subCluster.randomUnitSets { #expect(set.allSatisfy { $0 < 16 }, "dead units must never be drawn") }
    }
    // Every live unit is drawn somewhere (200 sets), so the sampling covers the layer.
    #expect(Set(subClusters[4].randomUnitSets.flatMap { $0 }) == Set(0..<16))

    // One cluster holding all 16 live units is more than 99% of the layer: no sub-cluster; with
    // maximumFraction 1 it is kept.
    var whole = labels
    for u in 0..<16 { whole[hidden[u]] = 0 }
    #expect(try graph.subClusters(labels: whole, network: network).isEmpty)
    #expect(try graph.subClusters(labels: whole, network: network, options: .init(maximumFraction: 1)).count == 1)
  }

  @Test func cnnChannelsAndDenseUnits() throws {
    let architecture = CNNArchitecture(
      inputShape: [1, 6, 6], convolutions: [.init(channels: 4, batchNorm: true), .init(channels: 6)], denseWidths: [5, 3])
    let network = try Network<Float>(architecture: .cnn(architecture), seed: 2)
    let graph = try NeuronGraph(cnnWeightsOf: network, options: .init(includeDenseHead: true))
    let labels = graph.nodes.map { $0.unit % 2 }
    let subClusters = try graph.subClusters(labels: labels, network: network)
    #expect(subClusters.map(\.site) == ["conv.0.pre", "conv.0.pre", "conv.1.pre", "conv.1.pre", "dense.0.pre", "dense.0.pre"])
    #expect(subClusters.map(\.units) == [[0, 2], [1, 3], [0, 2, 4], [1, 3, 5], [0, 2, 4], [1, 3]])
    #expect(subClusters.map(\.layerWidth) == [4, 4, 6, 6, 5, 5])
  }

  @Test func badInput() throws {
    let network: Network<Float> = try ClassUnits.network()
    let graph = try NeuronGraph(mlpWeightsOf: network)
    #expect(throws: NeuronModulesError.labelCount(expected: graph.nodeCount, found: 3)) {
      try graph.subClusters(labels: [0, 1, 2], network: network)
    }
    #expect(throws: NeuronModulesError.self) {
      try graph.subClusters(labels: ClassUnits.labels(graph), network: network, options: .init(randomSetCount: 0))
    }
    // A graph of another network: units beyond the layer's width.
    let wide = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [4, 30, 5])), seed: 0)
    let wideGraph = try NeuronGraph(mlpWeightsOf: wide)
    #expect(throws: NeuronModulesError.self) {
      try wideGraph.subClusters(labels: wideGraph.nodes.map { $0.unit % 3 }, network: network)
    }
    // A plain adjacency graph has no hidden layers of the network: no sub-clusters.
    let plain = try NeuronGraph(denseAdjacency: Tensor(rows: [[0, 1, 1], [1, 0, 1], [1, 1, 0]]))
    #expect(try plain.subClusters(labels: [0, 0, 0], network: network).isEmpty)
  }
}
