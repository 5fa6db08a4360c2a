import Tensors

/// Which eigen-solver computes a spectral embedding.
public enum EigenSolverChoice: String, Sendable, Hashable, Codable, CaseIterable {
  /// Dense up to ``SpectralEmbeddingOptions/denseSolverLimit`` nodes, sparse above.
  case automatic
  /// LAPACK `dsyevr` on the dense normalized adjacency (`O(n^3)` time, `O(n^2)` memory).
  case dense
  /// Chebyshev-filtered subspace iteration on the sparse normalized adjacency (sparse products
  /// only, seeded random start); see ``SpectralEmbedding``.
  case sparse
  /// LOBPCG on the sparse normalized adjacency (seeded random start), as scikit-learn's
  /// `eigen_solver="lobpcg"`; slower than ``sparse`` (more full-length dense work per product).
  case lobpcg
}

/// Options of a ``SpectralEmbedding``.
public struct SpectralEmbeddingOptions: Sendable, Hashable {
  public var solver: EigenSolverChoice
  /// The largest node count solved densely by ``EigenSolverChoice/automatic``.
  public var denseSolverLimit: Int
  /// The sparse solvers stop when every wanted eigenpair has residual `||M x - λ x|| <=` this
  /// (unit `x`); nil uses ``defaultTolerance(nodeCount:)``.
  public var tolerance: Double?
  /// The sparse solvers' iteration limit; the result reports whether it converged.
  public var maximumIterations: Int
  /// Extra block vectors the sparse solvers iterate beyond the wanted ones; nil picks them as
  /// ``blockSize(dimensions:solver:)`` says.
  public var guardVectors: Int?
  /// Seeds the sparse solvers' random start.
  public var seed: UInt64
  /// Threads for the sparse products; nil uses OpenBLAS's thread count (``Tensors/BLASThreads``),
  /// so a caller that runs clusterings in parallel with one BLAS thread each gets one thread here too.
  public var threads: Int?

  public init(
    solver: EigenSolverChoice = .automatic, denseSolverLimit: Int = 2000, tolerance: Double? = nil,
    maximumIterations: Int = 2000, guardVectors: Int? = nil, seed: UInt64 = 0, threads: Int? = nil
  ) {
    self.solver = solver
    self.denseSolverLimit = denseSolverLimit
    self.tolerance = tolerance
    self.maximumIterations = maximumIterations
    self.guardVectors = guardVectors
    self.seed = seed
    self.threads = threads
  }

  /// The number of vectors a sparse solver iterates to find `k`: `k` + ``guardVectors``, or by
  /// default, for ``EigenSolverChoice/sparse``, `k + 4` rounded up to a multiple of 8 (its
  /// single-precision products handle 16 and 8 columns at a time; 16 for `k = 12`), and for
  /// ``EigenSolverChoice/lobpcg``, `k + max(4, k / 2)`.
  public func blockSize(dimensions k: Int, solver: EigenSolverChoice) -> Int {
    if let guardVectors { return k + guardVectors }
    return solver == .lobpcg ? k + Swift.max(4, k / 2) : (k + 4 + 7) / 8 * 8
  }

  /// scipy's `lobpcg` default residual tolerance, which scikit-learn's spectral embedding
  /// uses: `sqrt(machine epsilon) * n` (1.5e-4 at `n = 10,000`), at most 1e-3. The eigenvectors'
  /// angular error is about the residual over the eigenvalue gap, far below what moves a
  /// k-means assignment.
  public static func defaultTolerance(nodeCount n: Int) -> Double {
    Swift.min(Double.ulpOfOne.squareRoot() * Double(n), 1e-3)
  }

  /// The solver actually used for a graph of `nodeCount` nodes: ``EigenSolverChoice/dense``
  /// or ``EigenSolverChoice/sparse``. A graph too small for a useful block iteration
  /// (fewer than 5 times the block size) is always solved densely.
  public func resolvedSolver(nodeCount: Int, dimensions: Int) -> EigenSolverChoice {
    let block = blockSize(dimensions: dimensions, solver: solver == .lobpcg ? .lobpcg : .sparse)
    if nodeCount < 5 * block { return .dense }
    switch solver {
    case .automatic: return nodeCount <= denseSolverLimit ? .dense : .sparse
    case .dense, .sparse, .lobpcg: return solver
    }
  }
}

/// The spectral embedding of a graph without isolated nodes, as scikit-learn's
/// `spectral_embedding(adjacency, norm_laplacian=True, drop_first=False)` computes it for
/// spectral clustering: the eigenvectors `v` of the `k` largest eigenvalues of the normalized
/// adjacency `M = D^-1/2 A D^-1/2` (the `k` smallest of the normalized Laplacian `L = I - M`),
/// each rescaled to `D^-1/2 v` (the random-walk, Shi-Malik embedding). Row `i` embeds node `i`.
///
/// Eigen-solvers: LAPACK `dsyevr` on the dense matrix (small graphs), or by default on large
/// graphs Chebyshev-filtered subspace iteration on the sparse `M` (see
/// `chebyshevFilteredEigenpairs`): a block of `k` plus guard vectors, started from `D^1/2 1` and
/// seeded random columns, filtered by Chebyshev polynomials that damp the unwanted part
/// `[-1, a]` of the spectrum, with a Rayleigh-Ritz projection after each filter, until every
/// wanted pair has residual `||M x - λ x|| <=` the tolerance (scikit-learn's, see
/// ``SpectralEmbeddingOptions/defaultTolerance(nodeCount:)``). LOBPCG, scikit-learn's
/// algorithm, stays available as ``EigenSolverChoice/lobpcg``.
///
/// Each column's sign is fixed deterministically: its entry of largest magnitude (the first
/// one on a tie) is positive, as in scikit-learn's `_deterministic_vector_sign_flip`.
///
/// A disconnected graph is handled: `M` then has the eigenvalue 1 once per connected
/// component, with eigenvectors supported on single components (in some rotation). If there
/// are at least `k` components, the embedding only says which component a node lies in, and
/// k-means groups whole components.
public struct SpectralEmbedding: Sendable {
  /// The `k` largest eigenvalues of `M`, descending (1 first); the normalized Laplacian's
  /// eigenvalues are `1 - eigenvalues`.
  public let eigenvalues: [Double]
  /// `[n, k]`: row `i` is node `i`'s coordinates.
  public let coordinates: Tensor<Double>
  /// The solver used (``EigenSolverChoice/dense`` or ``EigenSolverChoice/sparse``).
  public let solver: EigenSolverChoice
  /// Sparse-solver iterations (filter applications or LOBPCG steps; 0 for the dense solver).
  public let iterations: Int
  /// Sparse matrix-block products the sparse solver computed (0 for the dense solver).
  public let products: Int
  /// The largest eigenpair residual `||M v - λ v||` (0 for the dense solver).
  public let maximumResidual: Double
  /// False when the sparse solver hit its iteration limit before the tolerance.
  public let converged: Bool

  /// Computes the embedding.
  ///
  /// - Parameters:
  ///   - adjacency: a graph in which every node has a nonzero degree.
  ///   - dimensions: `k`, the number of eigenvectors, `1...order`.
  /// - Throws: ``NeuronModulesError`` if a node is isolated or `dimensions` is out of range;
  ///   LAPACK errors from the dense solver.
  public init(adjacency: SymmetricSparseMatrix, dimensions k: Int, options: SpectralEmbeddingOptions = .init()) throws {
    let n = adjacency.order
    guard k >= 1, k <= n else {
      throw NeuronModulesError.invalidOption("cannot embed \(n) nodes in \(k) dimensions")
    }
    let degrees = adjacency.degrees
    if let isolated = degrees.firstIndex(where: { !($0 > 0) }) {
      throw NeuronModulesError.invalidShape("node \(isolated) is isolated; embed the graph's live nodes only")
    }
    let scale = degrees.map { 1 / $0.squareRoot() }
    let normalized = adjacency.normalized(by: scale)
    let solver = options.resolvedSolver(nodeCount: n, dimensions: k)
    let values: [Double]
    let vectors: Tensor<Double>
    switch solver {
    case .dense, .automatic:
      let (ascending, columns) = try normalized.dense().symmetricEigen(range: .indices((n - k)..<n))
      let order = Array((0..<k).reversed())
      values = order.map { ascending.scalars[$0] }
      vectors = DenseBlock.selectColumns(columns, order)
      (iterations, products, maximumResidual, converged) = (0, 0, 0, true)
    case .sparse, .lobpcg:
      let block = Swift.min(n, options.blockSize(dimensions: k, solver: solver))
      var generator = SeededGenerator(seed: options.seed)
      // Uniform random entries in [-1, 1), except the first column: D^1/2 1, the eigenvector of
      // eigenvalue 1 (as scikit-learn's lobpcg path).
      var scalars = [Double](repeating: 0, count: n * block)
      for i in 0..<n {
        scalars[i * block] = degrees[i].squareRoot()
        for c in 1..<block { scalars[i * block + c] = Double(generator.next() >> 11) * 0x1p-52 - 1 }
      }
      let start = Tensor(shape: [n, block], scalars: scalars)
      let tolerance = options.tolerance ?? SpectralEmbeddingOptions.defaultTolerance(nodeCount: n)
      let result =
        solver == .lobpcg
        ? try largestEigenpairs(
          of: normalized, count: k, blockSize: block, start: start, tolerance: tolerance,
          maximumIterations: options.maximumIterations)
        : try chebyshevFilteredEigenpairs(
          of: normalized, count: k, blockSize: block, start: start, tolerance: tolerance,
          maximumIterations: options.maximumIterations, threads: Swift.max(1, options.threads ?? BLASThreads.count),
          seed: generator.next())
      values = result.values
      vectors = result.vectors
      (iterations, products, maximumResidual, converged) = (
        result.iterations, result.products, result.maximumResidual, result.converged
      )
    }
    // Rescale rows by D^-1/2, then fix each column's sign.
    var coordinates = vectors.scalars
    for i in 0..<n {
      for c in 0..<k { coordinates[i * k + c] *= scale[i] }
    }
    for c in 0..<k {
      var best = 0
      for i in 0..<n where Swift.abs(coordinates[i * k + c]) > Swift.abs(coordinates[best * k + c]) { best = i }
      if coordinates[best * k + c] < 0 {
        for i in 0..<n { coordinates[i * k + c] = -coordinates[i * k + c] }
      }
    }
    self.eigenvalues = values
    self.coordinates = Tensor(shape: [n, k], scalars: coordinates)
    self.solver = solver == .automatic ? .dense : solver
  }
}

extension SymmetricSparseMatrix {
  /// `S A S` for the diagonal matrix `S = diag(scale)`.
  func normalized(by scale: [Double]) -> SymmetricSparseMatrix {
    var scaled = values
    for i in 0..<order {
      for p in rowStarts[i]..<rowStarts[i + 1] { scaled[p] *= scale[i] * scale[columnIndices[p]] }
    }
    return SymmetricSparseMatrix(uncheckedOrder: order, rowStarts: rowStarts, columnIndices: columnIndices, values: scaled)
  }
}
