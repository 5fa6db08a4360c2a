import Foundation
import Tensors

/// Baseline similarity measures between two layers' representations of the same samples.
public enum RepresentationSimilarity {
  /// Linear centered kernel alignment (Kornblith, Norouzi, Lee and Hinton, "Similarity of Neural
  /// Network Representations Revisited", 2019):
  /// `CKA = HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L))` with `K = X X^T`, `L = Y Y^T` and the
  /// biased HSIC `<H K H, H L H>` (`H` the centering matrix), equivalently
  /// `||Y_c^T X_c||_F^2 / (||X_c^T X_c||_F ||Y_c^T Y_c||_F)` with column-centered `X_c`, `Y_c`.
  /// In `[0, 1]`, 1 for representations equal up to rotation and isotropic scaling.
  ///
  /// Computed in `Double` in feature space when `d1 + d2 < n`, otherwise from the Gram matrices.
  ///
  /// - Parameters:
  ///   - x: the first representation `[n, d1, ...]` (trailing axes flattened).
  ///   - y: the second representation `[n, d2, ...]` of the same samples.
  /// - Throws: ``LayerSimilarityError`` for non-finite values, mismatched sample counts, or a
  ///   representation that maps every sample to the same point (CKA is undefined).
  public static func linearCKA<A: TensorScalar, B: TensorScalar>(
    _ x: Tensor<A>, _ y: Tensor<B>, xLayer: String = "x", yLayer: String = "y"
  ) throws -> Double {
    let (a, b) = try pair(x, y, xLayer: xLayer, yLayer: yLayer)
    let n = a.rows
    if a.columns + b.columns < n {
      let xc = centeredColumns(a)
      let yc = centeredColumns(b)
      let cross = frobeniusNormSquared(crossProduct(xc, a.columns, yc, b.columns, n: n))
      let xx = frobeniusNormSquared(crossProduct(xc, a.columns, xc, a.columns, n: n)).squareRoot()
      let yy = frobeniusNormSquared(crossProduct(yc, b.columns, yc, b.columns, n: n)).squareRoot()
      guard xx > 0 else { throw LayerSimilarityError.degenerateSpace(layer: xLayer) }
      guard yy > 0 else { throw LayerSimilarityError.degenerateSpace(layer: yLayer) }
      return cross / (xx * yy)
    }
    return try centeredKernelAlignment(a.gram(), b.gram(), n: n, xLayer: xLayer, yLayer: yLayer)
  }

  /// CKA with Gaussian kernels `K_ij = exp(-||x_i - x_j||^2 / (2 t^2 m))`, where `m` is the median
  /// of the `n^2` squared distances (diagonal included) and `t` the `threshold`, as in Kornblith
  /// et al.'s reference code (`gram_rbf`).
  ///
  /// - Throws: ``LayerSimilarityError`` as ``linearCKA(_:_:xLayer:yLayer:)``, also when the
  ///   median squared distance is zero.
  public static func rbfCKA<A: TensorScalar, B: TensorScalar>(
    _ x: Tensor<A>, _ y: Tensor<B>, threshold: Double = 1, xLayer: String = "x", yLayer: String = "y"
  ) throws -> Double {
    guard threshold > 0, threshold.isFinite else {
      throw LayerSimilarityError.invalidOption("RBF CKA threshold must be positive, got \(threshold)")
    }
    let (a, b) = try pair(x, y, xLayer: xLayer, yLayer: yLayer)
    let k = try rbfGram(a, threshold: threshold, layer: xLayer)
    let l = try rbfGram(b, threshold: threshold, layer: yLayer)
    return try centeredKernelAlignment(k, l, n: a.rows, xLayer: xLayer, yLayer: yLayer)
  }

  /// The orthogonal Procrustes distance (Ding, Denain and Steinhardt, "Grounding Representation
  /// Similarity with Statistical Testing", 2021): with column-centered `X`, `Y` scaled to unit
  /// Frobenius norm, `min_Q ||X Q - Y||_F^2 = 2 - 2 ||X^T Y||_*` over matrices `Q` with
  /// orthonormal columns (`||.||_*` the nuclear norm, the sum of singular values; widths may
  /// differ, the narrower side is padded with zero columns). In `[0, 2]`, 0 for representations
  /// equal up to rotation, reflection, translation and isotropic scaling. See ``ProcrustesBasis``.
  ///
  /// - Throws: ``LayerSimilarityError`` as ``linearCKA(_:_:xLayer:yLayer:)``.
  public static func orthogonalProcrustes<A: TensorScalar, B: TensorScalar>(
    _ x: Tensor<A>, _ y: Tensor<B>, xLayer: String = "x", yLayer: String = "y"
  ) throws -> Double {
    let (a, b) = try pair(x, y, xLayer: xLayer, yLayer: yLayer)
    return try ProcrustesBasis(a, layer: xLayer).distance(to: ProcrustesBasis(b, layer: yLayer))
  }

  /// The RSM norm difference `mean((C_a - C_b)^2)` over all `n^2` entries of the two (normalized)
  /// distance matrices. For uniform weights it is the Gromov-Wasserstein value of the identity
  /// coupling `I/n`, an upper bound of the Gromov-Wasserstein value between shared samples.
  ///
  /// - Throws: ``LayerSimilarityError/sampleCountMismatch(first:firstCount:second:secondCount:)``.
  public static func rsmDifference(_ a: MetricMeasureSpace, _ b: MetricMeasureSpace) throws -> Double {
    guard a.count == b.count else {
      throw LayerSimilarityError.sampleCountMismatch(first: a.layer, firstCount: a.count, second: b.layer, secondCount: b.count)
    }
    var total = 0.0
    for k in a.distanceValues.indices {
      let d = a.distanceValues[k] - b.distanceValues[k]
      total += d * d
    }
    return total / Double(a.distanceValues.count)
  }

  // MARK: Helpers

  private static func pair<A: TensorScalar, B: TensorScalar>(
    _ x: Tensor<A>, _ y: Tensor<B>, xLayer: String, yLayer: String
  ) throws -> (RepresentationMatrix, RepresentationMatrix) {
    let a = try RepresentationMatrix(x, layer: xLayer)
    let b = try RepresentationMatrix(y, layer: yLayer)
    guard a.rows == b.rows else {
      throw LayerSimilarityError.sampleCountMismatch(first: xLayer, firstCount: a.rows, second: yLayer, secondCount: b.rows)
    }
    return (a, b)
  }

  /// `<H K H, H L H> / (||H K H|| ||H L H||)` for symmetric Gram matrices.
  private static func centeredKernelAlignment(_ k: [Double], _ l: [Double], n: Int, xLayer: String, yLayer: String) throws
    -> Double
  {
    let kc = centeredGram(k, n: n)
    let lc = centeredGram(l, n: n)
    let cross = kc.withUnsafeBufferPointer { a in
      lc.withUnsafeBufferPointer { b in innerProduct(a.baseAddress!, b.baseAddress!, count: n * n) }
    }
    let kNorm = frobeniusNormSquared(kc).squareRoot()
    let lNorm = frobeniusNormSquared(lc).squareRoot()
    guard kNorm > 0 else { throw LayerSimilarityError.degenerateSpace(layer: xLayer) }
    guard lNorm > 0 else { throw LayerSimilarityError.degenerateSpace(layer: yLayer) }
    return cross / (kNorm * lNorm)
  }

  /// `H K H` for a symmetric `K`: subtracts row and column means and adds back the grand mean.
  static func centeredGram(_ gram: [Double], n: Int) -> [Double] {
    var means = [Double](repeating: 0, count: n)
    for i in 0..<n {
      for k in 0..<n { means[k] += gram[i * n + k] }
    }
    for k in 0..<n { means[k] /= Double(n) }
    let grand = means.reduce(0, +) / Double(n)
    var centered = gram
    for i in 0..<n {
      for k in 0..<n { centered[i * n + k] = gram[i * n + k] - means[i] - means[k] + grand }
    }
    return centered
  }

  private static func rbfGram(_ x: RepresentationMatrix, threshold: Double, layer: String) throws -> [Double] {
    let n = x.rows
    var gram = x.gram()
    let norms = (0..<n).map { gram[$0 * n + $0] }
    for i in 0..<n {
      for k in 0..<n { gram[i * n + k] = Swift.max(0, norms[i] + norms[k] - 2 * gram[i * n + k]) }
      gram[i * n + i] = 0
    }
    let sorted = gram.sorted()
    let middle = sorted.count / 2
    let median = sorted.count % 2 == 0 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    guard median > 0 else { throw LayerSimilarityError.degenerateSpace(layer: layer) }
    let scale = -1 / (2 * threshold * threshold * median)
    for index in gram.indices { gram[index] = Foundation.exp(gram[index] * scale) }
    return gram
  }

  static func centeredColumns(_ x: RepresentationMatrix) -> [Double] {
    let n = x.rows
    let d = x.columns
    var means = [Double](repeating: 0, count: d)
    for i in 0..<n {
      for j in 0..<d { means[j] += x.values[i * d + j] }
    }
    for j in 0..<d { means[j] /= Double(n) }
    var centered = x.values
    for i in 0..<n {
      for j in 0..<d { centered[i * d + j] -= means[j] }
    }
    return centered
  }

  /// `A^T B` for row-major `n x da` and `n x db` matrices.
  static func crossProduct(_ a: [Double], _ da: Int, _ b: [Double], _ db: Int, n: Int) -> [Double] {
    var result = [Double](repeating: 0, count: da * db)
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        result.withUnsafeMutableBufferPointer { c in
          Double.gemm(
            transposeA: true, transposeB: false, m: da, n: db, k: n, alpha: 1, a: a.baseAddress!, lda: da,
            b: b.baseAddress!, ldb: db, beta: 0, c: c.baseAddress!, ldc: db)
        }
      }
    }
    return result
  }

  static func frobeniusNormSquared(_ values: [Double]) -> Double {
    values.withUnsafeBufferPointer { innerProduct($0.baseAddress!, $0.baseAddress!, count: values.count) }
  }
}
