extension Tensor {
  /// Matrix product through BLAS `?gemm`.
  ///
  /// Rank-2 operands give `[m, k] x [k, n] -> [m, n]`. Higher ranks are batched matrix
  /// products over the leading axes, which broadcast (a rank-2 operand is shared by every
  /// batch). Transposes are passed to BLAS as flags, never materialized.
  public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
    precondition(rank >= 2 && other.rank >= 2, "matmul needs rank >= 2 operands, got \(shape) and \(other.shape)")
    let m = transposeSelf ? shape[rank - 1] : shape[rank - 2]
    let k = transposeSelf ? shape[rank - 2] : shape[rank - 1]
    let k2 = transposeOther ? other.shape[other.rank - 1] : other.shape[other.rank - 2]
    let n = transposeOther ? other.shape[other.rank - 2] : other.shape[other.rank - 1]
    precondition(k == k2, "matmul inner dimensions differ: \(shape) and \(other.shape)")
    let batchA = Array(shape.dropLast(2))
    let batchB = Array(other.shape.dropLast(2))
    guard let batchShape = BroadcastPlan.broadcastShape(batchA, batchB) else {
      preconditionFailure("matmul batch shapes \(batchA) and \(batchB) do not broadcast")
    }
    let batch = batchShape.reduce(1, *)
    if batch * m * n == 0 { return Tensor.zeros(batchShape + [m, n]) }
    let a = batchA == batchShape ? self : broadcast(to: batchShape + Array(shape.suffix(2)))
    let b = batchB == batchShape || batchB.isEmpty ? other : other.broadcast(to: batchShape + Array(other.shape.suffix(2)))
    let sharedB = batchB.isEmpty && !batchShape.isEmpty
    let lda = transposeSelf ? m : k
    let ldb = transposeOther ? k : n
    return a.scalars.withUnsafeBufferPointer { pa in
      b.scalars.withUnsafeBufferPointer { pb in
        Tensor(shape: batchShape + [m, n]) { pc in
          if k == 0 {
            for i in pc.indices { pc[i] = 0 }
            return
          }
          if sharedB && !transposeSelf {
            // One GEMM with the batch folded into the rows.
            Scalar.gemm(
              transposeA: false, transposeB: transposeOther, m: batch * m, n: n, k: k, alpha: 1,
              a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb, beta: 0, c: pc.baseAddress!, ldc: n)
            return
          }
          Scalar.batchedGEMM(
            transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k, batch: batch,
            a: pa.baseAddress!, strideA: m * k, b: pb.baseAddress!, strideB: sharedB ? 0 : k * n, c: pc.baseAddress!)
        }
      }
    }
  }
}
