import Tensors
import Testing

@testable import NeuronModules

@Suite struct SparseSolverTests {
  /// A sparse (Chebyshev-filtered or LOBPCG) and the dense (LAPACK) embedding of a graph.
  func bothEmbeddings(_ graph: NeuronGraph, k: Int, solver: EigenSolverChoice) throws -> (
    sparse: SpectralEmbedding, dense: SpectralEmbedding
  ) {
    let sparse = try SpectralEmbedding(
      adjacency: graph.liveAdjacency, dimensions: k, options: .init(solver: solver, tolerance: 1e-8, seed: 3))
    let dense = try SpectralEmbedding(adjacency: graph.liveAdjacency, dimensions: k, options: .init(solver: .dense))
    #expect(sparse.solver == solver && sparse.converged && sparse.iterations > 0 && sparse.products > 0)
    #expect(dense.solver == .dense)
    return (sparse, dense)
  }

  @Test(arguments: [EigenSolverChoice.sparse, .lobpcg])
  func sparseEigenvaluesMatchLAPACKOnPlantedBlocks(solver: EigenSolverChoice) throws {
    let graph = try SpectralFixtures.graph("sbm12x40").neuronGraph()
    #expect(graph.liveNodes.count == 480)
    let (sparse, dense) = try bothEmbeddings(graph, k: 12, solver: solver)
    for (a, b) in zip(sparse.eigenvalues, dense.eigenvalues) { #expect(Swift.abs(a - b) < 1e-10) }
    #expect(Swift.abs(dense.eigenvalues[0] - 1) < 1e-12)
    // Distinct eigenvalues: the sign-normalized coordinates agree too.
    var largest = 0.0
    for (a, b) in zip(sparse.coordinates.scalars, dense.coordinates.scalars) { largest = Swift.max(largest, Swift.abs(a - b)) }
    #expect(largest < 1e-5)
  }

  @Test(arguments: [EigenSolverChoice.sparse, .lobpcg])
  func sparseEigenvaluesMatchLAPACKOnLayeredWeights(solver: EigenSolverChoice) throws {
    // A random pruned MLP-like graph (bipartite layers, clustered spectrum): the harder case.
    let graph = try SpectralBenchmark.randomLayeredGraph(widths: [60, 160, 160, 120, 10], pruned: 0.8, seed: 5)
    #expect(graph.liveNodes.count > 450)
    let (sparse, dense) = try bothEmbeddings(graph, k: 8, solver: solver)
    for (a, b) in zip(sparse.eigenvalues, dense.eigenvalues) { #expect(Swift.abs(a - b) < 1e-10) }
  }

  @Test(arguments: [EigenSolverChoice.sparse, .lobpcg])
  func sparseSolverHandlesSeveralComponents(solver: EigenSolverChoice) throws {
    // Three planted blocks without edges between them: eigenvalue 1 three times.
    let graph = try SpectralBenchmark.plantedPartitionGraph(nodes: 300, blocks: 3, averageDegree: 12, inBlockFraction: 1, seed: 2)
    let (sparse, dense) = try bothEmbeddings(graph, k: 4, solver: solver)
    for (a, b) in zip(sparse.eigenvalues, dense.eigenvalues) { #expect(Swift.abs(a - b) < 1e-10) }
    for value in sparse.eigenvalues.prefix(3) { #expect(Swift.abs(value - 1) < 1e-10) }
    #expect(sparse.eigenvalues[3] < 0.999)
  }

  @Test func solverChoiceFollowsTheNodeCount() {
    let options = SpectralEmbeddingOptions()
    #expect(options.resolvedSolver(nodeCount: 2000, dimensions: 12) == .dense)
    #expect(options.resolvedSolver(nodeCount: 2001, dimensions: 12) == .sparse)
    #expect(options.resolvedSolver(nodeCount: 100_000, dimensions: 12) == .sparse)
    #expect(SpectralEmbeddingOptions(solver: .dense).resolvedSolver(nodeCount: 100_000, dimensions: 12) == .dense)
    #expect(SpectralEmbeddingOptions(solver: .sparse).resolvedSolver(nodeCount: 500, dimensions: 12) == .sparse)
    #expect(SpectralEmbeddingOptions(solver: .lobpcg).resolvedSolver(nodeCount: 500, dimensions: 12) == .lobpcg)
    // Block sizes: k + 4 up to a multiple of 8 (sparse), k + max(4, k / 2) (LOBPCG), or k + guards.
    #expect([2, 4, 12, 13, 20].map { options.blockSize(dimensions: $0, solver: .sparse) } == [8, 8, 16, 24, 24])
    #expect([2, 12, 20].map { options.blockSize(dimensions: $0, solver: .lobpcg) } == [6, 18, 30])
    #expect(SpectralEmbeddingOptions(guardVectors: 3).blockSize(dimensions: 12, solver: .sparse) == 15)
    #expect(SpectralEmbeddingOptions(solver: .lobpcg).resolvedSolver(nodeCount: 89, dimensions: 12) == .dense)
    #expect(SpectralEmbeddingOptions(solver: .sparse).resolvedSolver(nodeCount: 80, dimensions: 12) == .sparse)
    // scikit-learn's (scipy lobpcg's) default tolerance, sqrt(eps) n, at most 1e-3.
    #expect(SpectralEmbeddingOptions.defaultTolerance(nodeCount: 10_000) == Double.ulpOfOne.squareRoot() * 10_000)
    #expect(SpectralEmbeddingOptions.defaultTolerance(nodeCount: 1_000_000) == 1e-3)
    // Too small for a block iteration: dense whatever is asked.
    #expect(SpectralEmbeddingOptions(solver: .sparse).resolvedSolver(nodeCount: 39, dimensions: 4) == .dense)
    #expect(SpectralEmbeddingOptions(solver: .sparse).resolvedSolver(nodeCount: 40, dimensions: 4) == .sparse)
    #expect(SpectralEmbeddingOptions(denseSolverLimit: 100).resolvedSolver(nodeCount: 101, dimensions: 2) == .sparse)
  }

  @Test func bigGraphsTakeTheSparsePath() throws {
    let graph = try SpectralBenchmark.plantedPartitionGraph(
      nodes: 2100, blocks: 3, averageDegree: 10, inBlockFraction: 0.95, seed: 1)
    let partition = try graph.spectralClustering(.init(clusterCount: 3, initializations: 3))
    #expect(partition.embedding.solver == .sparse)
    #expect(partition.embedding.converged)
    let planted = (0..<2100).map { $0 % 3 }
    #expect(adjustedRandIndex(partition.labels, planted) > 0.99)
    // The default number of k-means starts above 2,000 nodes.
    #expect(SpectralClusteringOptions().resolvedInitializations(liveNodeCount: 2100) == 100)
    #expect(SpectralClusteringOptions().resolvedInitializations(liveNodeCount: 2000) == 25)
  }
}
