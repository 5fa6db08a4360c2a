import Tensors

/// A representation `[n, d]` converted to row-major `Double`, validated sample by sample.
struct RepresentationMatrix: Sendable {
  /// The number of samples `n`.
  let rows: Int
  /// The number of features `d` (trailing axes flattened).
  let columns: Int
  /// Row-major `n x d` values.
  let values: [Double]

  /// Converts `representation` (`[n, d, ...]`, trailing axes flattened) after checking that it
  /// has at least two samples, at least one feature and only finite values.
  init<Scalar: TensorScalar>(_ representation: Tensor<Scalar>, layer: String) throws {
    guard representation.rank >= 2, representation.shape.dropFirst().allSatisfy({ $0 > 0 }) else {
      if representation.rank >= 1 && representation.shape[0] < 2 {
        throw LayerSimilarityError.tooFewSamples(layer: layer, count: representation.shape[0])
      }
      throw LayerSimilarityError.invalidShape(layer: layer, shape: representation.shape)
    }
    let n = representation.shape[0]
    guard n >= 2 else { throw LayerSimilarityError.tooFewSamples(layer: layer, count: n) }
    let d = representation.count / n
    let scalars = representation.scalars
    for i in 0..<n {
      for k in (i * d)..<((i + 1) * d) where !scalars[k].isFinite {
        throw LayerSimilarityError.nonFiniteValue(layer: layer, sample: i, isNaN: scalars[k].isNaN)
      }
    }
    rows = n
    columns = d
    if let doubles = scalars as? [Double] {
      values = doubles
    } else {
      values = scalars.map { Double($0) }
    }
  }

  /// The Gram matrix `X X^T` (`n x n`, exactly symmetric) through one `dgemm`.
  func gram() -> [Double] {
    let n = rows
    var gram = [Double](repeating: 0, count: n * n)
    values.withUnsafeBufferPointer { x in
      gram.withUnsafeMutableBufferPointer { g in
        Double.gemm(
          transposeA: false, transposeB: true, m: n, n: n, k: columns, alpha: 1, a: x.baseAddress!, lda: columns,
          b: x.baseAddress!, ldb: columns, beta: 0, c: g.baseAddress!, ldc: n)
        // Mirror the upper triangle so that the matrix is symmetric bit for bit.
        for i in 0..<n {
          for k in (i + 1)..<n { g[k * n + i] = g[i * n + k] }
        }
      }
    }
    return gram
  }
}
