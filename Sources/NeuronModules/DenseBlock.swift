import Tensors

/// Small dense-matrix helpers for the block eigen-solver; blocks are row-major `[n, columns]`
/// tensors and every product goes through BLAS (``Tensors/Tensor/matmul(_:transposeSelf:transposeOther:)``).
enum DenseBlock {
  /// `[A | B | ...]`, column-wise concatenation of blocks with equal row counts.
  static func concatenateColumns(_ blocks: [Tensor<Double>]) -> Tensor<Double> {
    let parts = blocks.filter { $0.shape[1] > 0 }
    guard let first = parts.first else { return Tensor.zeros([blocks.first?.shape[0] ?? 0, 0]) }
    if parts.count == 1 { return first }
    let rows = first.shape[0]
    let widths = parts.map { $0.shape[1] }
    let total = widths.reduce(0, +)
    var scalars = [Double](repeating: 0, count: rows * total)
    var offset = 0
    for (part, width) in zip(parts, widths) {
      part.scalars.withUnsafeBufferPointer { source in
        scalars.withUnsafeMutableBufferPointer { target in
          for r in 0..<rows {
            for c in 0..<width { target[r * total + offset + c] = source[r * width + c] }
          }
        }
      }
      offset += width
    }
    return Tensor(shape: [rows, total], scalars: scalars)
  }

  /// The columns `range` of a block.
  static func columns(_ block: Tensor<Double>, _ range: Range<Int>) -> Tensor<Double> {
    let (rows, width) = (block.shape[0], block.shape[1])
    if range == 0..<width { return block }
    var scalars = [Double](repeating: 0, count: rows * range.count)
    block.scalars.withUnsafeBufferPointer { source in
      for r in 0..<rows {
        for (c, column) in range.enumerated() { scalars[r * range.count + c] = source[r * width + column] }
      }
    }
    return Tensor(shape: [rows, range.count], scalars: scalars)
  }

  /// The rows `range` of a block.
  static func rows(_ block: Tensor<Double>, _ range: Range<Int>) -> Tensor<Double> {
    let width = block.shape[1]
    return Tensor(
      shape: [range.count, width], scalars: Array(block.scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
  }

  /// The columns of `block` at `indices`, in that order.
  static func selectColumns(_ block: Tensor<Double>, _ indices: [Int]) -> Tensor<Double> {
    let (rows, width) = (block.shape[0], block.shape[1])
    var scalars = [Double](repeating: 0, count: rows * indices.count)
    for r in 0..<rows {
      for (c, column) in indices.enumerated() { scalars[r * indices.count + c] = block.scalars[r * width + column] }
    }
    return Tensor(shape: [rows, indices.count], scalars: scalars)
  }

  /// The Euclidean norm of every column.
  static func columnNorms(_ block: Tensor<Double>) -> [Double] {
    let (rows, width) = (block.shape[0], block.shape[1])
    var sums = [Double](repeating: 0, count: width)
    block.scalars.withUnsafeBufferPointer { source in
      for r in 0..<rows {
        for c in 0..<width {
          let v = source[r * width + c]
          sums[c] += v * v
        }
      }
    }
    return sums.map { $0.squareRoot() }
  }

  /// Each column multiplied by `factors[column]`.
  static func scaleColumns(_ block: Tensor<Double>, _ factors: [Double]) -> Tensor<Double> {
    let width = block.shape[1]
    var scalars = block.scalars
    for index in scalars.indices { scalars[index] *= factors[index % width] }
    return Tensor(shape: block.shape, scalars: scalars)
  }

  /// `A - B`.
  static func subtract(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Tensor<Double> {
    Tensor(shape: a.shape, scalars: zip(a.scalars, b.scalars).map { $0 - $1 })
  }

  /// `(H + H^T) / 2` for a square matrix.
  static func symmetrized(_ h: Tensor<Double>) -> Tensor<Double> {
    let n = h.shape[0]
    var scalars = h.scalars
    for i in 0..<n {
      for j in 0..<i {
        let mean = 0.5 * (h.scalars[i * n + j] + h.scalars[j * n + i])
        scalars[i * n + j] = mean
        scalars[j * n + i] = mean
      }
    }
    return Tensor(shape: [n, n], scalars: scalars)
  }

  /// An orthonormal basis of the span of `block`'s columns after projecting out the span of
  /// `basis` (whose columns must be orthonormal): two passes of block classical Gram-Schmidt,
  /// each followed by SVQB (the eigen-decomposition of the Gram matrix), dropping directions
  /// with relative weight below `dropTolerance`. May return fewer columns than it was given.
  static func orthonormalize(_ block: Tensor<Double>, against basis: Tensor<Double>?, dropTolerance: Double = 1e-10)
    throws -> Tensor<Double>
  {
    var current = block
    for _ in 0..<2 {
      if current.shape[1] == 0 { return current }
      // Unit columns first, so that the drop threshold is relative to each column's size.
      let norms = columnNorms(current)
      let kept = norms.indices.filter { norms[$0] > 0 && norms[$0].isFinite }
      current = scaleColumns(selectColumns(current, kept), kept.map { 1 / norms[$0] })
      if let basis, basis.shape[1] > 0 {
        current = subtract(current, basis.matmul(basis.matmul(current, transposeSelf: true)))
      }
      if current.shape[1] == 0 { return current }
      let gram = symmetrized(current.matmul(current, transposeSelf: true))
      let (values, vectors) = try gram.symmetricEigen()
      let largest = values.scalars.last ?? 0
      let keep = values.scalars.indices.filter {
        values.scalars[$0] > dropTolerance * dropTolerance * Swift.max(largest, 1e-300) && values.scalars[$0] > 1e-28
      }
      if keep.isEmpty { return Tensor.zeros([current.shape[0], 0]) }
      let directions = scaleColumns(selectColumns(vectors, keep), keep.map { 1 / values.scalars[$0].squareRoot() })
      current = current.matmul(directions)
    }
    return current
  }

  /// `W^T H W` for `[m, m]` row-major matrices.
  static func congruence(_ h: [Double], _ w: [Double], _ m: Int) -> [Double] {
    var hw = [Double](repeating: 0, count: m * m)
    var result = [Double](repeating: 0, count: m * m)
    Double.gemm(
      transposeA: false, transposeB: false, m: m, n: m, k: m, alpha: 1, a: h, lda: m, b: w, ldb: m, beta: 0, c: &hw, ldc: m)
    Double.gemm(
      transposeA: true, transposeB: false, m: m, n: m, k: m, alpha: 1, a: w, lda: m, b: hw, ldb: m, beta: 0, c: &result, ldc: m)
    for i in 0..<m {
      for j in 0..<i {
        let mean = 0.5 * (result[i * m + j] + result[j * m + i])
        result[i * m + j] = mean
        result[j * m + i] = mean
      }
    }
    return result
  }

  /// An orthonormal `[n, columns]` start block spanning `start` (`[n, columns]`); a
  /// rank-deficient start is completed with unit vectors (deterministically).
  static func orthonormalStart(_ start: Tensor<Double>, columns: Int) throws -> Tensor<Double> {
    let n = start.shape[0]
    var x = try orthonormalize(start, against: nil)
    if x.shape[1] < columns {
      var extra = [Double](repeating: 0, count: n * columns)
      for c in 0..<columns { extra[(c * 7919) % n * columns + c] = 1 }
      x = try orthonormalize(concatenateColumns([x, Tensor(shape: [n, columns], scalars: extra)]), against: nil)
      x = self.columns(x, 0..<Swift.min(columns, x.shape[1]))
    }
    return x
  }
}
