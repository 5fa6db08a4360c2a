extension Tensor {
  /// Solves the square linear system `self * X = B` by LU factorization with partial pivoting
  /// (LAPACK `?gesv`).
  ///
  /// - Parameter b: The right-hand side, a vector of shape `[n]` or a matrix of shape `[n, k]`.
  /// - Returns: `X`, with the shape of `b`.
  /// - Throws: ``LinearAlgebraError/singular(pivot:)`` if the factorization meets an exactly
  ///   zero pivot, ``LinearAlgebraError/nearlySingular(reciprocalCondition:)`` if the estimated
  ///   reciprocal condition number (1-norm, LAPACK `?gecon`) is below machine epsilon, so no
  ///   digit of `X` could be trusted, or another ``LinearAlgebraError`` for a non-square matrix,
  ///   a mismatched right-hand side or a NaN or infinity in either operand.
  public func solve(_ b: Tensor) throws -> Tensor {
    let operation = "solve"
    let n = try requireSquareMatrix(for: operation)
    let k = try b.requireRightHandSide(rows: n, matrixShape: shape, for: operation)
    try requireFinite(for: operation)
    try b.requireFinite(for: operation)
    if n == 0 { return b }
    let norm = oneNorm(order: n)
    var lu = scalars
    var x = b.scalars
    // Factor even when there is nothing to solve for (against a zero column), so a singular
    // matrix is always reported.
    if k == 0 { x = [Scalar](repeating: 0, count: n) }
    let info = lu.withUnsafeMutableBufferPointer { pa in
      x.withUnsafeMutableBufferPointer { px in
        Scalar.gesv(n: n, nrhs: Swift.max(k, 1), a: pa.baseAddress!, lda: n, b: px.baseAddress!, ldb: Swift.max(k, 1))
      }
    }
    try requireLegalArguments(info: info, routine: "?gesv")
    if info > 0 { throw LinearAlgebraError.singular(pivot: info) }
    var reciprocalCondition: Scalar = 0
    let conditionInfo = lu.withUnsafeBufferPointer { pa in
      Scalar.gecon(norm: UInt8(ascii: "1"), n: n, a: pa.baseAddress!, lda: n, anorm: norm, rcond: &reciprocalCondition)
    }
    try requireLegalArguments(info: conditionInfo, routine: "?gecon")
    if reciprocalCondition < Scalar.ulpOfOne {
      throw LinearAlgebraError.nearlySingular(reciprocalCondition: Double(reciprocalCondition))
    }
    return k == 0 ? b : Tensor(shape: b.shape, scalars: x)
  }

  /// The 1-norm (largest absolute column sum) of an `n x n` matrix.
  private func oneNorm(order n: Int) -> Scalar {
    var columnSums = [Scalar](repeating: 0, count: n)
    for row in 0..<n {
      for column in 0..<n { columnSums[column] += Swift.abs(scalars[row * n + column]) }
    }
    return columnSums.max() ?? 0
  }
}
