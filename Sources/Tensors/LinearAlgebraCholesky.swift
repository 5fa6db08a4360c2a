extension Tensor {
  /// The Cholesky factor of a symmetric positive definite matrix (LAPACK `?potrf`).
  ///
  /// Only the lower triangle (`i >= j`) is read; the strict upper triangle is ignored, not
  /// checked against it.
  ///
  /// - Returns: The lower-triangular `L` with a positive diagonal and `self = L * Lᵀ`; its
  ///   strict upper triangle is zero.
  /// - Throws: ``LinearAlgebraError/notPositiveDefinite(order:)`` naming the order of the first
  ///   leading minor that is not positive definite, or another ``LinearAlgebraError`` if `self`
  ///   is not a square matrix or holds a NaN or an infinity.
  public func cholesky() throws -> Tensor {
    let n = try requireSquareMatrix(for: "cholesky")
    try requireFinite(for: "cholesky")
    if n == 0 { return self }
    var a = scalars
    let info = a.withUnsafeMutableBufferPointer { pa in
      Scalar.potrf(uplo: UInt8(ascii: "L"), n: n, a: pa.baseAddress!, lda: n)
    }
    try requireLegalArguments(info: info, routine: "?potrf")
    if info > 0 { throw LinearAlgebraError.notPositiveDefinite(order: info) }
    for row in 0..<n {
      for column in (row + 1)..<n { a[row * n + column] = 0 }
    }
    return Tensor(shape: [n, n], scalars: a)
  }

  /// Solves `(L * Lᵀ) X = B` where `self` is the Cholesky factor `L` from ``cholesky()``
  /// (LAPACK `?potrs`), so one factorization can serve many right-hand sides.
  ///
  /// For a symmetric positive definite `A`, `try A.cholesky().choleskySolve(b)` solves `A X = B`.
  /// Only the lower triangle of `self` is read.
  ///
  /// - Parameter b: The right-hand side, a vector of shape `[n]` or a matrix of shape `[n, k]`.
  /// - Returns: `X`, with the shape of `b`.
  /// - Throws: ``LinearAlgebraError/singular(pivot:)`` if the diagonal of `L` has a zero, or
  ///   another ``LinearAlgebraError`` for a non-square factor, a mismatched or non-finite operand.
  public func choleskySolve(_ b: Tensor) throws -> Tensor {
    let operation = "choleskySolve"
    let n = try requireSquareMatrix(for: operation)
    let k = try b.requireRightHandSide(rows: n, matrixShape: shape, for: operation)
    try requireFinite(for: operation)
    try b.requireFinite(for: operation)
    if let zero = (0..<n).first(where: { scalars[$0 * n + $0] == 0 }) {
      throw LinearAlgebraError.singular(pivot: zero + 1)
    }
    if n == 0 || k == 0 { return b }
    var x = b.scalars
    let info = scalars.withUnsafeBufferPointer { pl in
      x.withUnsafeMutableBufferPointer { px in
        Scalar.potrs(
          uplo: UInt8(ascii: "L"), n: n, nrhs: k, a: pl.baseAddress!, lda: n, b: px.baseAddress!, ldb: k)
      }
    }
    try requireLegalArguments(info: info, routine: "?potrs")
    return Tensor(shape: b.shape, scalars: x)
  }
}
