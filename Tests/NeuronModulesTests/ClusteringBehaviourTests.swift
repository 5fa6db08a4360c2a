import Tensors
import Testing

@testable import NeuronModules

@Suite struct ClusteringBehaviourTests {
  @Test func sameSeedSameLabels() throws {
    let graph = try SpectralFixtures.graph("mlp-12-32-32-32-8").neuronGraph()
    let options = SpectralClusteringOptions(clusterCount: 6, seed: 11)
    let first = try graph.spectralClustering(options)
    let second = try graph.spectralClustering(options)
    #expect(first.labels == second.labels)
    #expect(first.normalizedCut == second.normalizedCut)
    // Labels are numbered by first appearance.
    #expect(first.labels[0] == 0)
    #expect(first.clusters.count == 6 && first.clusters.allSatisfy { !$0.isEmpty })
  }

  @Test func sparsePathIsDeterministicToo() throws {
    let graph = try SpectralFixtures.graph("sbm12x40").neuronGraph()
    var options = SpectralClusteringOptions(clusterCount: 12, initializations: 5, seed: 4)
    options.embedding.solver = .sparse
    let first = try graph.spectralClustering(options)
    let second = try graph.spectralClustering(options)
    #expect(first.embedding.solver == .sparse)
    #expect(first.labels == second.labels)
    #expect(first.embedding.coordinates == second.embedding.coordinates)
  }

  @Test func disconnectedGraphStillClusters() throws {
    let fixture = SpectralFixtures.graph("two-components")
    let graph = try fixture.neuronGraph()
    // k equal to the number of components: the components, n-cut 0.
    let two = try graph.spectralClustering(.init(clusterCount: 2))
    #expect(Swift.abs(two.embedding.eigenvalues[0] - 1) < 1e-12 && Swift.abs(two.embedding.eigenvalues[1] - 1) < 1e-12)
    #expect(adjustedRandIndex(two.labels, fixture.plantedLabels!) == 1)
    #expect(two.normalizedCut == 0)
    // More clusters than components: one component is split, none is merged with the other.
    let three = try graph.spectralClustering(.init(clusterCount: 3))
    for cluster in three.clusters {
      #expect(Set(cluster.map { fixture.plantedLabels![$0] }).count == 1)
    }
    #expect(three.normalizedCut <= SpectralFixtures.graph("two-components-k3").sklearnNormalizedCut * 1.01)
  }

  @Test func kMeansFindsSeparatedBlobs() throws {
    // Three tight blobs in the plane.
    var generator = SeededGenerator(seed: 9)
    let centers: [(Double, Double)] = [(0, 0), (10, 0), (0, 10)]
    var scalars: [Double] = []
    for i in 0..<90 {
      let (x, y) = centers[i % 3]
      scalars += [x + 0.3 * generator.nextStandardNormal(), y + 0.3 * generator.nextStandardNormal()]
    }
    let result = try KMeans(points: Tensor(shape: [90, 2], scalars: scalars), options: .init(clusterCount: 3, seed: 1))
    #expect(result.labels == (0..<90).map { $0 % 3 })
    #expect(result.inertia < 90 * 2 * 0.3 * 0.3 * 1.5)
    #expect(throws: NeuronModulesError.self) {
      try KMeans(points: Tensor(shape: [2, 2], scalars: [0, 0, 1, 1]), options: .init(clusterCount: 3))
    }
  }

  @Test func kMeansCopesWithDuplicatePoints() throws {
    // Only two distinct points for three clusters: a duplicate center stays empty (as in
    // scikit-learn, which warns), and the two groups are still separated exactly.
    let points = Tensor<Double>(shape: [6, 1], scalars: [0, 0, 0, 1, 1, 1])
    let result = try KMeans(points: points, options: .init(clusterCount: 3, initializations: 4))
    #expect(result.labels == [0, 0, 0, 1, 1, 1])
    #expect(result.inertia == 0)
    #expect(result.centers.shape == [3, 1])
  }
}
