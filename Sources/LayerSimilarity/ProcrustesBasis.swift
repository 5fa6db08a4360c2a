import Tensors

/// One layer's representation prepared for the orthogonal Procrustes distance: an `n x r` matrix
/// `B` with the same centered Gram matrix as the representation, scaled to unit Frobenius norm.
///
/// `||X^T Y||_*` depends on `X` and `Y` only through `X X^T` and `Y Y^T` (with thin SVDs
/// `X = U S V^T`, `X^T Y = V (S U^T U' S') V'^T`), so a layer wider than its sample count is
/// replaced by `U Lambda^(1/2)` from the eigendecomposition of its `n x n` Gram matrix, once per
/// layer. Each pair then costs one `r1 x r2` cross product and its singular values.
public struct ProcrustesBasis: Sendable {
  /// The layer's name, for error messages.
  public let layer: String
  /// The number of samples `n`.
  public let rows: Int
  /// The width `r = min(d, n)` of ``values``.
  public let columns: Int
  /// Row-major `n x r`.
  let values: [Double]

  /// The basis of `representation` (`[n, d, ...]`, trailing axes flattened).
  ///
  /// - Throws: ``LayerSimilarityError`` for fewer than two samples, non-finite values, or a
  ///   representation that maps every sample to the same point.
  public init<Scalar: TensorScalar>(_ representation: Tensor<Scalar>, layer: String) throws {
    try self.init(RepresentationMatrix(representation, layer: layer), layer: layer)
  }

  init(_ x: RepresentationMatrix, layer: String) throws {
    let n = x.rows
    let centered = RepresentationSimilarity.centeredColumns(x)
    let norm = RepresentationSimilarity.frobeniusNormSquared(centered).squareRoot()
    guard norm > 0 else { throw LayerSimilarityError.degenerateSpace(layer: layer) }
    self.layer = layer
    rows = n
    if x.columns <= n {
      columns = x.columns
      values = centered.map { $0 / norm }
      return
    }
    // K = X X^T = U Lambda U^T; U Lambda^(1/2) has the same Gram matrix.
    var gram = [Double](repeating: 0, count: n * n)
    centered.withUnsafeBufferPointer { c in
      gram.withUnsafeMutableBufferPointer { k in
        Double.gemm(
          transposeA: false, transposeB: true, m: n, n: n, k: x.columns, alpha: 1, a: c.baseAddress!, lda: x.columns,
          b: c.baseAddress!, ldb: x.columns, beta: 0, c: k.baseAddress!, ldc: n)
      }
    }
    let (eigenvalues, eigenvectors) = try Tensor(shape: [n, n], scalars: gram).symmetricEigen()
    let roots = eigenvalues.scalars.map { Swift.max($0, 0).squareRoot() / norm }
    var basis = eigenvectors.scalars
    for i in 0..<n {
      for j in 0..<n { basis[i * n + j] *= roots[j] }
    }
    columns = n
    values = basis
  }

  /// `2 - 2 ||X^T Y||_*` for the two unit-norm centered representations.
  ///
  /// - Throws: ``LayerSimilarityError/sampleCountMismatch(first:firstCount:second:secondCount:)``
  ///   for bases of different sample counts, or a LAPACK failure.
  public func distance(to other: ProcrustesBasis) throws -> Double {
    guard rows == other.rows else {
      throw LayerSimilarityError.sampleCountMismatch(
        first: layer, firstCount: rows, second: other.layer, secondCount: other.rows)
    }
    let cross = RepresentationSimilarity.crossProduct(values, columns, other.values, other.columns, n: rows)
    let singularValues = try Tensor(shape: [columns, other.columns], scalars: cross).singularValueDecomposition().s
    return Swift.max(0, 2 - 2 * singularValues.scalars.reduce(0, +))
  }
}
