import Tensors

/// The outcome of ``largestEigenpairs(of:count:blockSize:start:tolerance:maximumIterations:)``.
struct BlockEigenpairs {
  /// The `count` largest eigenvalues, descending.
  var values: [Double]
  /// `[n, count]`, column `j` the unit eigenvector of `values[j]`.
  var vectors: Tensor<Double>
  var iterations: Int
  /// The largest residual norm `||A x - θ x||` among the returned pairs.
  var maximumResidual: Double
  var converged: Bool
  /// Sparse matrix-block products computed.
  var products: Int
}

/// The `count` largest eigenpairs of a symmetric sparse matrix by LOBPCG (Knyazev's locally
/// optimal block preconditioned conjugate gradient, here without a preconditioner) in its
/// orthonormal-basis form (Hetmaniuk and Lehoucq, 2006; Duersch et al., 2018).
///
/// Each step is a Rayleigh-Ritz projection on `S = [X, P, W]`: the current Ritz vectors, the
/// previous search directions and the new residuals. `X` and `P` come out of the previous
/// projection already orthonormal (`P`'s coefficients are orthonormalized against `X`'s in the
/// small projected space), so only the residuals are orthonormalized in full length (block
/// Gram-Schmidt twice, with SVQB), and only they are multiplied by the matrix: the images
/// `A X` and `A P` are carried along by the same small rotations. Nothing is factorized.
///
/// - Parameters:
///   - blockSize: the number of Ritz vectors iterated (`>= count`); the extra "guard"
///     vectors speed up convergence of the wanted ones when eigenvalues cluster, and let the
///     block capture an eigenvalue of multiplicity up to `blockSize`.
///   - start: the initial `[n, blockSize]` block.
///   - tolerance: convergence when every wanted pair has `||A x - θ x|| <= tolerance` (for the
///     normalized adjacency, whose norm is 1, absolute and relative agree), checked against
///     a freshly computed `A X` before returning.
func largestEigenpairs(
  of matrix: SymmetricSparseMatrix, count: Int, blockSize: Int, start: Tensor<Double>, tolerance: Double,
  maximumIterations: Int
) throws -> BlockEigenpairs {
  let n = matrix.order
  precondition(count >= 1 && blockSize >= count && blockSize <= n, "block size \(blockSize) for \(count) pairs of order \(n)")
  var x = try DenseBlock.orthonormalStart(start, columns: blockSize)
  let m = x.shape[1]
  var ax = matrix.multiply(x)
  var products = 1
  var (theta, rotation) = try rayleighRitz(basis: x, image: ax, keep: m)
  x = x.matmul(rotation)
  ax = ax.matmul(rotation)
  var p = Tensor<Double>.zeros([n, 0])
  var ap = p
  var iteration = 0
  var imageIsExact = true
  while true {
    // Residuals R = A X - X diag(θ).
    var r = DenseBlock.subtract(ax, DenseBlock.scaleColumns(x, theta))
    var residuals = DenseBlock.columnNorms(r)
    var wantedResidual = residuals.prefix(count).max() ?? 0
    if wantedResidual <= tolerance && !imageIsExact {
      // Confirm against an exact product: the carried image may have drifted.
      ax = matrix.multiply(x)
      products += 1
      imageIsExact = true
      r = DenseBlock.subtract(ax, DenseBlock.scaleColumns(x, theta))
      residuals = DenseBlock.columnNorms(r)
      wantedResidual = residuals.prefix(count).max() ?? 0
    }
    if wantedResidual <= tolerance || iteration >= maximumIterations {
      return BlockEigenpairs(
        values: Array(theta.prefix(count)), vectors: DenseBlock.columns(x, 0..<count), iterations: iteration,
        maximumResidual: wantedResidual, converged: wantedResidual <= tolerance, products: products)
    }
    iteration += 1
    imageIsExact = false
    // Soft locking: converged columns contribute no new search direction.
    let active = residuals.indices.filter { residuals[$0] > tolerance }
    let known = DenseBlock.concatenateColumns([x, p])
    let w = try DenseBlock.orthonormalize(DenseBlock.selectColumns(r, active), against: known)
    let basis = DenseBlock.concatenateColumns([known, w])
    let image = DenseBlock.concatenateColumns([ax, ap, matrix.multiply(w)])
    products += 1
    (theta, rotation) = try rayleighRitz(basis: basis, image: image, keep: m)
    // New search directions: the parts of the new Ritz vectors outside the old ones,
    // orthonormalized against the new Ritz vectors in the small space.
    var tail = rotation
    for row in 0..<m {
      for column in 0..<m { tail[flat: row * m + column] = 0 }
    }
    let directions = try DenseBlock.orthonormalize(tail, against: rotation, dropTolerance: 1e-8)
    x = basis.matmul(rotation)
    ax = image.matmul(rotation)
    p = directions.shape[1] > 0 ? basis.matmul(directions) : Tensor.zeros([n, 0])
    ap = directions.shape[1] > 0 ? image.matmul(directions) : Tensor.zeros([n, 0])
  }
}

/// Rayleigh-Ritz on an orthonormal `basis` with `image = A basis`: the `keep` largest Ritz
/// values, descending, and the `[basis columns, keep]` coefficient matrix of their vectors.
private func rayleighRitz(basis: Tensor<Double>, image: Tensor<Double>, keep: Int) throws -> ([Double], Tensor<Double>) {
  let s = basis.shape[1]
  let projected = DenseBlock.symmetrized(basis.matmul(image, transposeSelf: true))
  let (values, vectors) = try projected.symmetricEigen(range: .indices((s - keep)..<s))
  let order = Array((0..<keep).reversed())
  return (order.map { values.scalars[$0] }, DenseBlock.selectColumns(vectors, order))
}
