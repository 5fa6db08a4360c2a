import Foundation
import Tensors

/// The `count` largest eigenpairs of a symmetric sparse matrix whose spectrum lies in
/// `[-1, 1]` (a normalized adjacency `D^-1/2 A D^-1/2`), by Chebyshev-filtered subspace
/// iteration (Zhou and Saad, 2007; Zhou, Saad, Tiago and Chelikowsky, 2006).
///
/// Each iteration applies a Chebyshev polynomial `p(M) = T_d((M - c) / e) / T_d((θ_1 - c) / e)`
/// to the block: it stays within `[-1, 1]` on the unwanted interval `[-1, a]`, where `a` is the
/// block's smallest Ritz value (an estimate of the largest unwanted eigenvalue), and grows
/// like `exp(d acosh((λ - c) / e))` above it, so the wanted directions gain on the unwanted ones
/// by that factor. The filter is a three-term recurrence of `d` block products, each fused with
/// its linear combination (``SparseBlockOperator``); the only dense work is one Rayleigh-Ritz
/// projection per iteration (three tall-skinny GEMMs): far fewer full-length dense operations
/// than LOBPCG for the same number of sparse products.
///
/// The degree adapts: enough to bring the worst wanted residual to the tolerance if the
/// eigenvalue gap estimate holds, capped (at ``maximumDegree``, and so that no direction gains
/// more than ``maximumAmplification`` on the cut-off) to keep the filtered block well conditioned.
/// The filtered block is not orthonormalized explicitly: Rayleigh-Ritz runs on the pencil
/// `(Y^T M Y, Y^T Y)` after a Jacobi scaling and an eigen-decomposition of the Gram matrix
/// (SVQB, Stathopoulos and Wu 2002), which also orthonormalizes. A block too ill-conditioned for
/// that (or rank deficient) is orthonormalized explicitly and completed with seeded random
/// vectors.
///
/// - Parameters:
///   - blockSize: the number of vectors iterated (`>= count`): the extra guard vectors put the
///     cut-off `a` below the wanted eigenvalues.
///   - start: the initial `[n, blockSize]` block.
///   - tolerance: convergence when every wanted pair has `||M x - θ x|| <= tolerance` (unit `x`),
///     computed in double precision from the image `M X` of the returned vectors. A tolerance
///     of at least ``singlePrecisionTolerance`` runs every sparse product in single precision
///     (about twice as fast: half the memory traffic, twice the SIMD width); the images then
///     carry relative errors of about 1e-7, far below the tolerance.
///   - maximumIterations: the limit on filter iterations; the result reports whether it converged.
///   - threads: threads for the sparse products (dense products use OpenBLAS's own threads).
///   - seed: seeds the random vectors that complete a rank-deficient block.
func chebyshevFilteredEigenpairs(
  of matrix: SymmetricSparseMatrix, count: Int, blockSize: Int, start: Tensor<Double>, tolerance: Double,
  maximumIterations: Int, threads: Int, seed: UInt64
) throws -> BlockEigenpairs {
  let n = matrix.order
  precondition(count >= 1 && blockSize >= count && blockSize <= n, "block size \(blockSize) for \(count) pairs of order \(n)")
  let operator_ = SparseBlockOperator(matrix, threads: threads)
  var solver = ChebyshevSolver(
    operator: operator_, count: count, blockSize: blockSize, singlePrecision: tolerance >= singlePrecisionTolerance, seed: seed)
  return try solver.run(start: start, tolerance: tolerance, maximumIterations: maximumIterations)
}

/// The smallest tolerance for which the sparse products run in single precision: their rounding
/// errors (about 1e-7 relative) then stay two orders of magnitude below the tolerance.
/// Rayleigh-Ritz and the residuals are always computed in double precision.
let singlePrecisionTolerance = 1e-5
/// The highest filter degree of one iteration.
let maximumDegree = 24
/// The largest gain of any direction over the cut-off within one filter application.
let maximumAmplification = 1e7

/// State of one ``chebyshevFilteredEigenpairs(of:count:blockSize:start:tolerance:maximumIterations:threads:seed:)`` run.
private struct ChebyshevSolver {
  let operator_: SparseBlockOperator
  let n: Int
  let count: Int
  let m: Int
  /// Five `[n, m]` blocks: the Ritz vectors `X` and their image, and three spare blocks for the
  /// filter's three-term recurrence (with `X` as its first term) and the filtered block's image.
  let buffers: BlockBuffers<Double>
  /// Whether the sparse products run in single precision (in three more blocks).
  let singlePrecision: Bool
  let singles: BlockBuffers<Float>
  var generator: SeededGenerator
  var products = 0

  init(operator operator_: SparseBlockOperator, count: Int, blockSize: Int, singlePrecision: Bool, seed: UInt64) {
    self.operator_ = operator_
    n = operator_.order
    self.count = count
    m = blockSize
    buffers = BlockBuffers(rows: operator_.order, columns: blockSize, count: 5)
    self.singlePrecision = singlePrecision
    singles = BlockBuffers(rows: operator_.order, columns: blockSize, count: singlePrecision ? 3 : 0)
    generator = SeededGenerator(seed: seed)
  }

  mutating func run(start: Tensor<Double>, tolerance: Double, maximumIterations: Int) throws -> BlockEigenpairs {
    // Buffer roles: x, mx (Ritz vectors and image) and three spare blocks (filter, image).
    let (x, mx, spare) = (0, 1, [2, 3, 4])
    // Rayleigh-Ritz needs no orthonormal start (and completes a rank-deficient one).
    start.scalars.withUnsafeBufferPointer { buffers[spare[0]].update(from: $0.baseAddress!, count: n * m) }
    multiply(spare[0], into: spare[1])
    var theta = try rayleighRitz(y: spare[0], my: spare[1], xOut: x, mxOut: mx)
    var iteration = 0
    while true {
      let residuals = residualNorms(x: buffers[x], mx: buffers[mx], theta: theta)
      let worst = residuals.prefix(count).max() ?? 0
      if worst <= tolerance || iteration >= maximumIterations {
        return finish(x: x, theta: theta, iterations: iteration, worst: worst, converged: worst <= tolerance)
      }
      iteration += 1
      // The filter interval [-1, a] and the scaling point θ_1.
      let lower = -1.0
      let a = Swift.max(theta[m - 1], lower + 1e-6)
      let (center, halfWidth) = ((a + lower) / 2, (a - lower) / 2)
      let top = Swift.max((theta[0] - center) / halfWidth, 1)
      let wanted = (theta[count - 1] - center) / halfWidth
      let needed = Swift.max(worst / tolerance, 10)
      var degree = wanted > 1 + 1e-9 ? Int((acosh(needed) / acosh(wanted)).rounded(.up)) : maximumDegree
      let cap = top > 1 + 1e-9 ? Int(acosh(maximumAmplification) / acosh(top)) : maximumDegree
      degree = Swift.max(2, Swift.min(degree, maximumDegree, cap))
      // Scaled recurrence: Y_j = T_j(L) X / T_j(top), L = (M - c) / e, with s_j = T_{j-1}(top) / T_j(top).
      let (filtered, image) =
        singlePrecision
        ? singlePrecisionFilter(x: x, mx: mx, degree: degree, center: center, halfWidth: halfWidth, top: top, into: spare)
        : doublePrecisionFilter(x: x, mx: mx, spare: spare, degree: degree, center: center, halfWidth: halfWidth, top: top)
      // Rayleigh-Ritz on the filtered block; the Ritz vectors replace x and mx.
      theta = try rayleighRitz(y: filtered, my: image, xOut: x, mxOut: mx)
    }
  }

  /// `M` times block `source` into block `target`, in the filter's precision.
  mutating func multiply(_ source: Int, into target: Int) {
    products += 1
    guard singlePrecision else {
      operator_.apply(to: buffers[source], columns: m, into: buffers[target])
      return
    }
    let (input, output, single, singleImage) = (buffers[source], buffers[target], singles[0], singles[1])
    for index in 0..<(n * m) { single[index] = Float(input[index]) }
    operator_.apply(to: single, columns: m, into: singleImage)
    for index in 0..<(n * m) { output[index] = Double(singleImage[index]) }
  }

  /// The filter in double precision: Y_1 from the known image, then the recurrence through the
  /// three spare blocks; returns the blocks holding Y_degree and its image.
  mutating func doublePrecisionFilter(
    x: Int, mx: Int, spare: [Int], degree: Int, center: Double, halfWidth: Double, top: Double
  ) -> (filtered: Int, image: Int) {
    var s = 1 / top
    combine(buffers[mx], 1 / (halfWidth * top), buffers[x], -center / (halfWidth * top), into: buffers[spare[0]])
    var (previous, current) = (x, spare[0])
    var free = [spare[1], spare[2]]
    for _ in 1..<degree {
      let next = free.removeLast()
      let sNext = 1 / (2 * top - s)
      let alpha = 2 * sNext / halfWidth
      operator_.apply(
        to: buffers[current], columns: m, alpha: alpha, beta: -center * alpha, gamma: -s * sNext, z: buffers[previous],
        into: buffers[next])
      products += 1
      if previous != x { free.append(previous) }
      (previous, current, s) = (current, next, sNext)
    }
    let image = spare.first { $0 != current }!
    multiply(current, into: image)
    return (current, image)
  }

  /// The filter and the image of its result in single precision (through the three
  /// single-precision blocks), both written back in double precision to `spare[0]` and `spare[1]`.
  mutating func singlePrecisionFilter(
    x: Int, mx: Int, degree: Int, center: Double, halfWidth: Double, top: Double, into spare: [Int]
  ) -> (filtered: Int, image: Int) {
    let count = n * m
    let (xp, mxp, first, second) = (buffers[x], buffers[mx], singles[0], singles[1])
    let (a1, b1) = (1 / (halfWidth * top), -center / (halfWidth * top))
    for index in 0..<count {
      first[index] = Float(xp[index])
      second[index] = Float(a1 * mxp[index] + b1 * xp[index])
    }
    var s = 1 / top
    var (previous, current, next) = (0, 1, 2)
    for _ in 1..<degree {
      let sNext = 1 / (2 * top - s)
      let alpha = 2 * sNext / halfWidth
      operator_.apply(
        to: singles[current], columns: m, alpha: Float(alpha), beta: Float(-center * alpha), gamma: Float(-s * sNext),
        z: singles[previous], into: singles[next])
      products += 1
      (previous, current, next, s) = (current, next, previous, sNext)
    }
    operator_.apply(to: singles[current], columns: m, into: singles[next])
    products += 1
    let (filtered, image, result, resultImage) = (buffers[spare[0]], buffers[spare[1]], singles[current], singles[next])
    for index in 0..<count {
      filtered[index] = Double(result[index])
      image[index] = Double(resultImage[index])
    }
    return (spare[0], spare[1])
  }

  /// Rayleigh-Ritz on the span of block `y` with image `my` (`M y`): writes the `m` Ritz vectors
  /// (orthonormal) and their images to `xOut` and `mxOut` and returns the Ritz values, descending.
  mutating func rayleighRitz(y: Int, my: Int, xOut: Int, mxOut: Int) throws -> [Double] {
    let (yp, myp) = (buffers[y], buffers[my])
    var gram = [Double](repeating: 0, count: m * m)
    var projected = [Double](repeating: 0, count: m * m)
    Double.gemm(
      transposeA: true, transposeB: false, m: m, n: m, k: n, alpha: 1, a: yp, lda: m, b: yp, ldb: m, beta: 0, c: &gram, ldc: m)
    Double.gemm(
      transposeA: true, transposeB: false, m: m, n: m, k: n, alpha: 1, a: yp, lda: m, b: myp, ldb: m, beta: 0, c: &projected,
      ldc: m)
    // Jacobi scaling, then the Gram matrix's eigen-decomposition: W = S V Λ^-1/2 makes W^T G W = I.
    let scale = (0..<m).map { j -> Double in
      let g = gram[j * m + j]
      return g > 0 && g.isFinite ? 1 / g.squareRoot() : 0
    }
    var scaled = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
      for j in 0..<m { scaled[i * m + j] = 0.5 * (gram[i * m + j] + gram[j * m + i]) * scale[i] * scale[j] }
    }
    let (lambda, vectors) = try Tensor(shape: [m, m], scalars: scaled).symmetricEigen()
    let largest = lambda.scalars.last ?? 0
    guard scale.allSatisfy({ $0 > 0 }), largest > 0, lambda.scalars[0] > 1e-10 * largest else {
      return try orthonormalizedRayleighRitz(y: y, xOut: xOut, mxOut: mxOut)
    }
    var w = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
      for j in 0..<m { w[i * m + j] = scale[i] * vectors.scalars[i * m + j] / lambda.scalars[j].squareRoot() }
    }
    // H' = W^T H W (symmetrized), its eigenpairs descending, and the coefficients C = W Z.
    var symmetric = projected
    for i in 0..<m {
      for j in 0..<m { symmetric[i * m + j] = 0.5 * (projected[i * m + j] + projected[j * m + i]) }
    }
    let reduced = DenseBlock.congruence(symmetric, w, m)
    let (values, z) = try Tensor(shape: [m, m], scalars: reduced).symmetricEigen()
    var coefficients = [Double](repeating: 0, count: m * m)
    let descending = z.scalars.withUnsafeBufferPointer { zp in
      var reversed = [Double](repeating: 0, count: m * m)
      for i in 0..<m {
        for j in 0..<m { reversed[i * m + j] = zp[i * m + (m - 1 - j)] }
      }
      return reversed
    }
    Double.gemm(
      transposeA: false, transposeB: false, m: m, n: m, k: m, alpha: 1, a: w, lda: m, b: descending, ldb: m, beta: 0,
      c: &coefficients, ldc: m)
    Double.gemm(
      transposeA: false, transposeB: false, m: n, n: m, k: m, alpha: 1, a: yp, lda: m, b: coefficients, ldb: m, beta: 0,
      c: buffers[xOut], ldc: m)
    Double.gemm(
      transposeA: false, transposeB: false, m: n, n: m, k: m, alpha: 1, a: myp, lda: m, b: coefficients, ldb: m, beta: 0,
      c: buffers[mxOut], ldc: m)
    return (0..<m).map { values.scalars[m - 1 - $0] }
  }

  /// The fallback for an ill-conditioned block: explicit orthonormalization (two SVQB passes),
  /// completion with seeded random vectors, a fresh image and Rayleigh-Ritz on the result.
  mutating func orthonormalizedRayleighRitz(y: Int, xOut: Int, mxOut: Int) throws -> [Double] {
    let block = Tensor(shape: [n, m], scalars: Array(UnsafeBufferPointer(start: buffers[y], count: n * m)))
    var basis = try DenseBlock.orthonormalize(block, against: nil)
    var attempts = 0
    while basis.shape[1] < m {
      attempts += 1
      if attempts > 10 { throw NeuronModulesError.invalidShape("cannot complete a block of \(m) vectors in dimension \(n)") }
      let missing = m - basis.shape[1]
      let random = Tensor<Double>.normal(shape: [n, missing], using: &generator)
      let extra = try DenseBlock.orthonormalize(random, against: basis)
      basis = DenseBlock.concatenateColumns([basis, extra])
    }
    basis.scalars.withUnsafeBufferPointer { buffers[y].update(from: $0.baseAddress!, count: n * m) }
    // The image goes to xOut for now; the well-conditioned Rayleigh-Ritz then writes both outputs.
    multiply(y, into: xOut)
    let image = Array(UnsafeBufferPointer(start: buffers[xOut], count: n * m))
    let scratch = BlockBuffers<Double>(rows: n, columns: m, count: 1)
    image.withUnsafeBufferPointer { scratch[0].update(from: $0.baseAddress!, count: n * m) }
    // Rayleigh-Ritz with an orthonormal basis: H = Y^T M Y.
    var projected = [Double](repeating: 0, count: m * m)
    Double.gemm(
      transposeA: true, transposeB: false, m: m, n: m, k: n, alpha: 1, a: buffers[y], lda: m, b: scratch[0], ldb: m, beta: 0,
      c: &projected, ldc: m)
    var symmetric = projected
    for i in 0..<m {
      for j in 0..<m { symmetric[i * m + j] = 0.5 * (projected[i * m + j] + projected[j * m + i]) }
    }
    let (values, z) = try Tensor(shape: [m, m], scalars: symmetric).symmetricEigen()
    var descending = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
      for j in 0..<m { descending[i * m + j] = z.scalars[i * m + (m - 1 - j)] }
    }
    Double.gemm(
      transposeA: false, transposeB: false, m: n, n: m, k: m, alpha: 1, a: buffers[y], lda: m, b: descending, ldb: m, beta: 0,
      c: buffers[xOut], ldc: m)
    Double.gemm(
      transposeA: false, transposeB: false, m: n, n: m, k: m, alpha: 1, a: scratch[0], lda: m, b: descending, ldb: m, beta: 0,
      c: buffers[mxOut], ldc: m)
    return (0..<m).map { values.scalars[m - 1 - $0] }
  }

  /// `||M x_j - θ_j x_j|| / ||x_j||` for every column.
  func residualNorms(x: UnsafeMutablePointer<Double>, mx: UnsafeMutablePointer<Double>, theta: [Double]) -> [Double] {
    var residual = [Double](repeating: 0, count: m)
    var norm = [Double](repeating: 0, count: m)
    theta.withUnsafeBufferPointer { t in
      for i in 0..<n {
        let (row, image) = (x + i * m, mx + i * m)
        for j in 0..<m {
          let r = image[j] - t[j] * row[j]
          residual[j] += r * r
          norm[j] += row[j] * row[j]
        }
      }
    }
    return (0..<m).map { norm[$0] > 0 ? (residual[$0] / norm[$0]).squareRoot() : .infinity }
  }

  /// `out = a p + b q` elementwise over `[n, m]` blocks.
  func combine(
    _ p: UnsafeMutablePointer<Double>, _ a: Double, _ q: UnsafeMutablePointer<Double>, _ b: Double,
    into out: UnsafeMutablePointer<Double>
  ) {
    for index in 0..<(n * m) { out[index] = a * p[index] + b * q[index] }
  }

  /// The wanted pairs, columns normalized to unit length.
  func finish(x: Int, theta: [Double], iterations: Int, worst: Double, converged: Bool) -> BlockEigenpairs {
    let source = buffers[x]
    var vectors = [Double](repeating: 0, count: n * count)
    var norms = [Double](repeating: 0, count: count)
    for i in 0..<n {
      for j in 0..<count {
        let value = source[i * m + j]
        vectors[i * count + j] = value
        norms[j] += value * value
      }
    }
    let inverse = norms.map { $0 > 0 ? 1 / $0.squareRoot() : 0 }
    for i in 0..<n {
      for j in 0..<count { vectors[i * count + j] *= inverse[j] }
    }
    return BlockEigenpairs(
      values: Array(theta.prefix(count)), vectors: Tensor(shape: [n, count], scalars: vectors), iterations: iterations,
      maximumResidual: worst, converged: converged, products: products)
  }
}

/// `count` `[rows, columns]` blocks of a trivial scalar type, allocated without initialization
/// (every user writes a block before reading it), freed with the object.
final class BlockBuffers<Scalar: BinaryFloatingPoint>: @unchecked Sendable {
  private let storage: [UnsafeMutablePointer<Scalar>]

  init(rows: Int, columns: Int, count: Int) {
    storage = (0..<count).map { _ in
      let pointer = UnsafeMutablePointer<Scalar>.allocate(capacity: Swift.max(1, rows * columns))
      return pointer
    }
  }

  subscript(index: Int) -> UnsafeMutablePointer<Scalar> { storage[index] }

  deinit { for pointer in storage { pointer.deallocate() } }
}
