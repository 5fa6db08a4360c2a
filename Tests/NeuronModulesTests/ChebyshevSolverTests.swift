import Tensors
import Testing

@testable import NeuronModules

@Suite struct ChebyshevSolverTests {
  /// The normalized adjacency `D^-1/2 A D^-1/2` of a fixture graph's live part.
  func normalizedAdjacency(_ name: String) throws -> SymmetricSparseMatrix {
    let adjacency = try SpectralFixtures.graph(name).neuronGraph().liveAdjacency
    return adjacency.normalized(by: adjacency.degrees.map { 1 / $0.squareRoot() })
  }

  func randomStart(rows n: Int, columns m: Int, seed: UInt64) -> Tensor<Double> {
    var generator = SeededGenerator(seed: seed)
    return Tensor(shape: [n, m], scalars: (0..<(n * m)).map { _ in 2 * generator.nextUniform(as: Double.self) - 1 })
  }

  /// `||M v_j - θ_j v_j||` for every returned pair, by the dense matrix.
  func denseResiduals(_ matrix: SymmetricSparseMatrix, _ result: BlockEigenpairs) -> [Double] {
    let n = matrix.order
    let dense = matrix.dense().scalars
    let k = result.values.count
    return (0..<k).map { j in
      var sum = 0.0
      for i in 0..<n {
        var image = 0.0
        for l in 0..<n { image += dense[i * n + l] * result.vectors.scalars[l * k + j] }
        let r = image - result.values[j] * result.vectors.scalars[i * k + j]
        sum += r * r
      }
      return sum.squareRoot()
    }
  }

  @Test(arguments: [1e-4, 1e-9])
  func meetsTheToleranceInEitherPrecision(tolerance: Double) throws {
    // 1e-4 runs the sparse products in single precision, 1e-9 in double.
    let matrix = try normalizedAdjacency("sbm12x40")
    let n = matrix.order
    let result = try chebyshevFilteredEigenpairs(
      of: matrix, count: 12, blockSize: 16, start: randomStart(rows: n, columns: 16, seed: 1), tolerance: tolerance,
      maximumIterations: 100, threads: 1, seed: 2)
    #expect(result.converged && result.maximumResidual <= tolerance)
    #expect(result.products > result.iterations)
    for residual in denseResiduals(matrix, result) { #expect(residual <= tolerance * 1.001) }
    // Unit vectors, eigenvalues as LAPACK's (an eigenvalue's error is about residual^2 / gap).
    for j in 0..<12 {
      let norm = (0..<n).reduce(0.0) { $0 + result.vectors.scalars[$1 * 12 + j] * result.vectors.scalars[$1 * 12 + j] }
      #expect(Swift.abs(norm - 1) < 1e-12)
    }
    let (lapack, _) = try matrix.dense().symmetricEigen(range: .indices((n - 12)..<n))
    // Single-precision images perturb the Ritz values by about 1e-7.
    let allowed = tolerance >= singlePrecisionTolerance ? 1e-6 : 1e-12
    for (ours, theirs) in zip(result.values, lapack.scalars.reversed()) { #expect(Swift.abs(ours - theirs) < allowed) }
  }

  @Test func rankDeficientStartIsCompleted() throws {
    // Every start column equal: the Gram matrix is singular, so the solver orthonormalizes
    // explicitly and fills the block with seeded random vectors.
    let matrix = try normalizedAdjacency("mlp-12-32-32-32-8")
    let n = matrix.order
    let column = (0..<n).map { Double($0 % 5) + 1 }
    let start = Tensor(shape: [n, 10], scalars: column.flatMap { Array(repeating: $0, count: 10) })
    let result = try chebyshevFilteredEigenpairs(
      of: matrix, count: 6, blockSize: 10, start: start, tolerance: 1e-9, maximumIterations: 500, threads: 1, seed: 5)
    #expect(result.converged)
    for residual in denseResiduals(matrix, result) { #expect(residual <= 1e-9 * 1.001) }
    let (lapack, _) = try matrix.dense().symmetricEigen(range: .indices((n - 6)..<n))
    for (ours, theirs) in zip(result.values, lapack.scalars.reversed()) { #expect(Swift.abs(ours - theirs) < 1e-12) }
  }

  @Test func embeddingDoesNotDependOnThreads() throws {
    let graph = try SpectralBenchmark.plantedPartitionGraph(nodes: 3400, blocks: 4, averageDegree: 12, seed: 3)
    func embed(_ threads: Int) throws -> SpectralEmbedding {
      try SpectralEmbedding(adjacency: graph.liveAdjacency, dimensions: 4, options: .init(solver: .sparse, threads: threads))
    }
    let (one, two) = (try embed(1), try embed(2))
    #expect(SparseBlockOperator(graph.liveAdjacency, threads: 2).threadCount == 2)
    #expect(one.converged && one.solver == .sparse)
    #expect(one.coordinates == two.coordinates && one.eigenvalues == two.eigenvalues)
  }

  @Test(arguments: SpectralFixtures.shared.graphs.map(\.name))
  func sparsePathMatchesOrBeatsSklearn(name: String) throws {
    // The fixtures' graphs are small enough for LAPACK by default; force the sparse path where a
    // block iteration fits, with the default (scikit-learn's) tolerance.
    let fixture = SpectralFixtures.graph(name)
    let graph = try fixture.neuronGraph()
    var options = SpectralClusteringOptions(clusterCount: fixture.clusters, seed: 0)
    options.embedding.solver = .sparse
    let partition = try graph.spectralClustering(options)
    if options.embedding.resolvedSolver(nodeCount: graph.liveNodes.count, dimensions: fixture.clusters) == .sparse {
      #expect(partition.embedding.solver == .sparse && partition.embedding.converged)
    }
    #expect(partition.normalizedCut <= fixture.sklearnNormalizedCut * 1.01 + 1e-12)
  }
}
