extension Tensor {
  /// The singular value decomposition `self = u * diag(s) * vt` of an `[m, n]` matrix
  /// (LAPACK `?gesdd`, divide and conquer).
  ///
  /// With `k = min(m, n)`, `s` holds the `k` singular values in descending order.
  ///
  /// - Parameter fullMatrices: When `false` (the default), `u` is `[m, k]` and `vt` is `[k, n]`;
  ///   when `true`, `u` is the full orthogonal `[m, m]` and `vt` the full orthogonal `[n, n]`.
  /// - Returns: `u` with orthonormal columns, `s` of shape `[k]`, and `vt` with orthonormal rows.
  ///   Pairs of singular vectors are determined only up to a common sign.
  /// - Throws: ``LinearAlgebraError`` if `self` is not a matrix, holds a NaN or an infinity, or
  ///   LAPACK fails to converge.
  public func singularValueDecomposition(fullMatrices: Bool = false) throws -> (u: Tensor, s: Tensor, vt: Tensor) {
    let operation = "singularValueDecomposition"
    try requireMatrix(for: operation)
    try requireFinite(for: operation)
    let (m, n) = (shape[0], shape[1])
    let k = Swift.min(m, n)
    let uColumns = fullMatrices ? m : k
    let vtRows = fullMatrices ? n : k
    if k == 0 {
      return (
        fullMatrices ? Tensor.identity(m) : Tensor.zeros([m, 0]), Tensor.zeros([0]),
        fullMatrices ? Tensor.identity(n) : Tensor.zeros([0, n])
      )
    }
    var a = scalars
    var s = [Scalar](repeating: 0, count: k)
    var u = [Scalar](repeating: 0, count: m * uColumns)
    var vt = [Scalar](repeating: 0, count: vtRows * n)
    let info = a.withUnsafeMutableBufferPointer { pa in
      s.withUnsafeMutableBufferPointer { ps in
        u.withUnsafeMutableBufferPointer { pu in
          vt.withUnsafeMutableBufferPointer { pvt in
            Scalar.gesdd(
              jobz: UInt8(ascii: fullMatrices ? "A" : "S"), m: m, n: n, a: pa.baseAddress!, lda: n,
              s: ps.baseAddress!, u: pu.baseAddress!, ldu: uColumns, vt: pvt.baseAddress!, ldvt: n)
          }
        }
      }
    }
    try requireLegalArguments(info: info, routine: "?gesdd")
    if info > 0 { throw LinearAlgebraError.didNotConverge(operation: operation, info: info) }
    return (Tensor(shape: [m, uColumns], scalars: u), Tensor(s), Tensor(shape: [vtRows, n], scalars: vt))
  }

  /// The singular values of a matrix in descending order, without the singular vectors
  /// (LAPACK `?gesdd`); see ``singularValueDecomposition(fullMatrices:)``.
  public func singularValues() throws -> Tensor {
    let operation = "singularValues"
    try requireMatrix(for: operation)
    try requireFinite(for: operation)
    let (m, n) = (shape[0], shape[1])
    let k = Swift.min(m, n)
    if k == 0 { return Tensor.zeros([0]) }
    var a = scalars
    var s = [Scalar](repeating: 0, count: k)
    // `?gesdd` references neither `u` nor `vt` when `jobz` is `N`.
    var unused: [Scalar] = [0]
    let info = a.withUnsafeMutableBufferPointer { pa in
      s.withUnsafeMutableBufferPointer { ps in
        unused.withUnsafeMutableBufferPointer { pu in
          Scalar.gesdd(
            jobz: UInt8(ascii: "N"), m: m, n: n, a: pa.baseAddress!, lda: n, s: ps.baseAddress!,
            u: pu.baseAddress!, ldu: 1, vt: pu.baseAddress!, ldvt: n)
        }
      }
    }
    try requireLegalArguments(info: info, routine: "?gesdd")
    if info > 0 { throw LinearAlgebraError.didNotConverge(operation: operation, info: info) }
    return Tensor(s)
  }
}
