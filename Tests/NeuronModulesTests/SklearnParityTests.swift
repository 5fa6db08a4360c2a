import Foundation
import Tensors
import Testing

@testable import NeuronModules

@Suite struct SklearnParityTests {
  @Test(arguments: SpectralFixtures.shared.graphs.map(\.name))
  func normalizedCutMatchesOrBeatsSklearn(name: String) throws {
    let fixture = SpectralFixtures.graph(name)
    let graph = try fixture.neuronGraph()
    let partition = try graph.spectralClustering(.init(clusterCount: fixture.clusters, seed: 0))
    // Our n-cut of sklearn's labels equals sklearn's n-cut (the definitions agree).
    let theirs = try graph.normalizedCut(labels: fixture.sklearnLabels)
    #expect(Swift.abs(theirs - fixture.sklearnNormalizedCut) < 1e-9)
    #expect(partition.normalizedCut <= fixture.sklearnNormalizedCut * 1.01 + 1e-12)
    #expect(Swift.abs(try graph.normalizedCut(labels: partition.labels) - partition.normalizedCut) < 1e-12)
    // Isolated nodes are labelled -1, exactly where sklearn's fixture has them.
    for (ours, theirs) in zip(partition.labels, fixture.sklearnLabels) { #expect((ours < 0) == (theirs < 0)) }
  }

  @Test(arguments: ["sbm4x25-clear", "sbm6-unequal", "sbm2-isolated", "two-components", "sbm12x40"])
  func plantedBlocksAreRecovered(name: String) throws {
    let fixture = SpectralFixtures.graph(name)
    let partition = try fixture.neuronGraph().spectralClustering(.init(clusterCount: fixture.clusters))
    #expect(adjustedRandIndex(partition.labels, fixture.plantedLabels!) >= 0.99)
  }

  @Test(arguments: ["sbm4x25", "mlp-12-32-32-32-8"])
  func embeddingMatchesSklearn(name: String) throws {
    let fixture = SpectralFixtures.graph(name)
    let graph = try fixture.neuronGraph()
    let embedding = try SpectralEmbedding(adjacency: graph.liveAdjacency, dimensions: fixture.clusters)
    let reference = fixture.embedding!
    #expect(embedding.coordinates.shape == reference.shape)
    for (ours, theirs) in zip(embedding.eigenvalues, fixture.eigenvalues!) { #expect(Swift.abs(ours - theirs) < 1e-10) }
    var largest = 0.0
    for (ours, theirs) in zip(embedding.coordinates.scalars, reference.data) {
      largest = Swift.max(largest, Swift.abs(ours - theirs))
    }
    #expect(largest < 1e-6)
  }
}
