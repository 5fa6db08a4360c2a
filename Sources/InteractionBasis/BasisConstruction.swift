import Tensors

/// The eigendecomposition of a symmetric positive semi-definite matrix, descending, with the
/// directions above a threshold kept.
struct TruncatedEigen: Sendable {
  /// Every eigenvalue, descending.
  var values: [Double]
  /// The kept eigenvectors as columns, `[n, kept]`, each signed so its largest entry is positive.
  var vectors: Tensor<Double>
  var kept: Int { vectors.shape[1] }

  /// Eigenvalues at or below `threshold`, or below `relative` times the largest, are dropped.
  init(_ matrix: Tensor<Double>, threshold: Double, relative: Double?, name: String) throws {
    let n = matrix.shape[0]
    guard matrix.isFinite else { throw InteractionBasisError.nonFinite(name) }
    let symmetric = (matrix + matrix.transposed()) * 0.5
    let decomposition: (values: Tensor<Double>, vectors: Tensor<Double>)
    do { decomposition = try symmetric.symmetricEigen() } catch {
      throw InteractionBasisError.linearAlgebra("\(name): \(error)")
    }
    let values = Array(decomposition.values.scalars.reversed())
    let largest = values.first ?? 0
    let cut = Swift.max(threshold, (relative ?? 0) * largest)
    let kept = values.prefix { $0 > cut }.count
    var columns = [Double](repeating: 0, count: n * kept)
    let v = decomposition.vectors.scalars
    for c in 0..<kept {
      let source = n - 1 - c
      var pivot = 0.0
      for r in 0..<n where Swift.abs(v[r * n + source]) > Swift.abs(pivot) { pivot = v[r * n + source] }
      let sign: Double = pivot < 0 ? -1 : 1
      for r in 0..<n { columns[r * kept + c] = sign * v[r * n + source] }
    }
    self.values = values
    self.vectors = Tensor(shape: [n, kept], scalars: columns)
  }
}

/// The PCA and LIB bases of a node layer from its statistics and, for the LIB, the metric of
/// the section that follows it.
enum BasisConstruction {
  /// PCA: `C = U` (kept directions of `G = U D U^T`), `C+ = U^T`, features ordered by D.
  static func pca(_ layer: NodeLayer, statistics: LayerStatistics, gram: TruncatedEigen) -> LayerBasis {
    LayerBasis(
      kind: .pca, layer: layer, mean: statistics.mean, basis: gram.vectors, inverse: gram.vectors.transposed(),
      constantScale: 1, importances: Array(gram.values.prefix(gram.kept)))
  }

  /// The whitening map `W = U D^1/2` (`[n, k0]`): `f - mu = W f~` on the kept subspace.
  static func whitening(_ gram: TruncatedEigen) -> (forward: Tensor<Double>, inverse: Tensor<Double>) {
    let d = Tensor(gram.values.prefix(gram.kept).map { $0.squareRoot() })
    return (gram.vectors * d, gram.vectors / d)
  }

  /// The metric `M = W^T S W` in whitened coordinates from `S = E[g g^T]` (`[n, n]`).
  static func whitenedMetric(_ s: Tensor<Double>, gram: TruncatedEigen) -> Tensor<Double> {
    let w = whitening(gram).forward
    return w.matmul(s, transposeSelf: true).matmul(w)
  }

  /// LIB: `M = V Lambda V^T`, `C = U D^-1/2 V Lambda^1/2`, `C+ = Lambda^-1/2 V^T D^1/2 U^T`, and
  /// the constant feature's scale `s0 = Lambda_0^1/2`.
  static func lib(
    _ layer: NodeLayer, statistics: LayerStatistics, gram: TruncatedEigen, metric: TruncatedEigen, constant: Double
  ) -> LayerBasis {
    let (w, wInverse) = whitening(gram)
    let lambda = Array(metric.values.prefix(metric.kept))
    let root = Tensor(lambda.map { $0.squareRoot() })
    let basis = wInverse.matmul(metric.vectors) * root
    let inverse = (w.matmul(metric.vectors) / root).transposed()
    return LayerBasis(
      kind: .lib, layer: layer, mean: statistics.mean, basis: basis, inverse: inverse,
      constantScale: Swift.max(constant, 0).squareRoot(), importances: lambda)
  }
}
