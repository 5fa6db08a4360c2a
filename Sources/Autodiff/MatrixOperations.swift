import Tensors

extension Variable {
  /// Matrix product (batched over leading axes, which broadcast), through BLAS.
  ///
  /// The pullback is two more GEMMs with transpose flags: dA = G B^T, dB = A^T G, summed
  /// over broadcast batch axes.
  public func matmul(_ other: Variable, transposeSelf: Bool = false, transposeOther: Bool = false) -> Variable {
    let a = value
    let b = other.value
    let y = a.matmul(b, transposeSelf: transposeSelf, transposeOther: transposeOther)
    return Variable.recording(y, from: [self, other]) { g, needed in
      var ga: Tensor<Scalar>? = nil
      var gb: Tensor<Scalar>? = nil
      if needed[0] {
        // y = op(a) op(b): d op(a) = g op(b)^T.
        let d =
          transposeSelf
          ? b.matmul(g, transposeSelf: transposeOther, transposeOther: true)
          : g.matmul(b, transposeSelf: false, transposeOther: !transposeOther)
        ga = d.summed(toShape: a.shape)
      }
      if needed[1] && b.rank == 2 && a.rank > 2 && !transposeSelf {
        // A weight shared across the batch: fold the batch axes into the rows so that the
        // gradient is one GEMM instead of a GEMM per batch element followed by a sum.
        let rows = a.reshaped([-1, a.shape[a.rank - 1]])
        let flatG = g.reshaped([-1, g.shape[g.rank - 1]])
        gb = transposeOther ? flatG.matmul(rows, transposeSelf: true) : rows.matmul(flatG, transposeSelf: true)
      } else if needed[1] {
        let d =
          transposeOther
          ? g.matmul(a, transposeSelf: true, transposeOther: transposeSelf)
          : a.matmul(g, transposeSelf: !transposeSelf, transposeOther: false)
        gb = d.summed(toShape: b.shape)
      }
      return [ga, gb]
    }
  }
}
