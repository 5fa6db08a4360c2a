/// Batched matrix products. Large problems call BLAS once per batch element; tiny ones
/// (attention scores over a few positions, per-head products) run a direct loop, because
/// a BLAS call costs more than a few thousand multiply-adds.
enum BatchedGEMM {
  /// Products at or below this many multiply-adds run in the direct loop.
  static let directLimit = 4096

  @inline(__always)
  static func run<S: TensorScalar>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, batch: Int,
    a: UnsafePointer<S>, strideA: Int, b: UnsafePointer<S>, strideB: Int, c: UnsafeMutablePointer<S>
  ) {
    let lda = transposeA ? m : k
    let ldb = transposeB ? k : n
    if m * n * k > directLimit {
      for i in 0..<batch {
        S.gemm(
          transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
          a: a + i * strideA, lda: lda, b: b + i * strideB, ldb: ldb, beta: 0, c: c + i * m * n, ldc: n)
      }
      return
    }
    // Element strides of op(A)[r, p] and op(B)[p, col].
    let (aRow, aInner) = transposeA ? (1, lda) : (lda, 1)
    let (bInner, bColumn) = transposeB ? (1, ldb) : (ldb, 1)
    for i in 0..<batch {
      let pa = a + i * strideA
      let pb = b + i * strideB
      let pc = c + i * m * n
      if bColumn == 1 {
        // Rows of op(B) are contiguous: accumulate a[r, p] * B[p, :] into C[r, :] (vectorizes).
        for r in 0..<m {
          let row = pc + r * n
          for col in 0..<n { row[col] = 0 }
          for p in 0..<k {
            let scale = pa[r * aRow + p * aInner]
            let source = pb + p * bInner
            for col in 0..<n { row[col] += scale * source[col] }
          }
        }
      } else {
        for r in 0..<m {
          for col in 0..<n {
            var sum: S = 0
            for p in 0..<k { sum += pa[r * aRow + p * aInner] * pb[p * bInner + col * bColumn] }
            pc[r * n + col] = sum
          }
        }
      }
    }
  }
}
