extension Tensor {
  /// Which eigenvalues of a symmetric matrix to compute.
  public enum EigenRange: Sendable, Equatable {
    /// Every eigenvalue.
    case all
    /// The eigenvalues at these 0-based positions in ascending order: the `k` smallest are
    /// `0..<k`, the `k` largest are `n - k..<n`.
    case indices(Range<Int>)
    /// The eigenvalues in this closed interval, whose bounds must be finite.
    case values(ClosedRange<Scalar>)
  }

  /// The eigenvalues and eigenvectors of a symmetric matrix (LAPACK `?syevr`).
  ///
  /// Only the lower triangle (`i >= j`) is read; the strict upper triangle is ignored, not
  /// checked against it, so pass a symmetric matrix or one whose lower triangle is the one meant.
  ///
  /// - Parameter range: Which eigenvalues to compute; all by default.
  /// - Returns: `values`, the `k` selected eigenvalues in ascending order (shape `[k]`), and
  ///   `vectors`, an `[n, k]` matrix whose column `j` is the unit eigenvector of `values[j]`.
  ///   Each eigenvector's sign is arbitrary.
  /// - Throws: ``LinearAlgebraError`` if `self` is not a square matrix, holds a NaN or an
  ///   infinity, or LAPACK fails to converge.
  public func symmetricEigen(range: EigenRange = .all) throws -> (values: Tensor, vectors: Tensor) {
    let (values, vectors) = try symmetricEigenDecomposition(range: range, computingVectors: true)
    return (values, vectors!)
  }

  /// The eigenvalues of a symmetric matrix in ascending order, without the eigenvectors
  /// (LAPACK `?syevr`); reads only the lower triangle, like ``symmetricEigen(range:)``.
  public func symmetricEigenvalues(range: EigenRange = .all) throws -> Tensor {
    try symmetricEigenDecomposition(range: range, computingVectors: false).values
  }

  private func symmetricEigenDecomposition(
    range: EigenRange, computingVectors: Bool
  ) throws -> (values: Tensor, vectors: Tensor?) {
    let operation = "symmetricEigen"
    let n = try requireSquareMatrix(for: operation)
    try requireFinite(for: operation)
    let selection = EigenSelection(range, order: n)
    if n == 0 || selection.isEmpty {
      return (Tensor.zeros([0]), computingVectors ? Tensor.zeros([n, 0]) : nil)
    }
    // Column capacity of the eigenvector matrix; `?syevr` stores vectors as columns of `z`.
    let columns = computingVectors ? selection.maximumCount : 1
    var a = scalars
    var w = [Scalar](repeating: 0, count: n)
    var z = [Scalar](repeating: 0, count: computingVectors ? n * columns : 1)
    var found = 0
    let info = a.withUnsafeMutableBufferPointer { pa in
      w.withUnsafeMutableBufferPointer { pw in
        z.withUnsafeMutableBufferPointer { pz in
          Scalar.syevr(
            jobz: UInt8(ascii: computingVectors ? "V" : "N"), range: selection.code, uplo: UInt8(ascii: "L"),
            n: n, a: pa.baseAddress!, lda: n, vl: selection.lowerValue, vu: selection.upperValue,
            il: selection.lowerIndex, iu: selection.upperIndex, abstol: Scalar.leastNormalMagnitude,
            m: &found, w: pw.baseAddress!, z: pz.baseAddress!, ldz: columns)
        }
      }
    }
    try requireLegalArguments(info: info, routine: "?syevr")
    if info > 0 { throw LinearAlgebraError.didNotConverge(operation: operation, info: info) }
    let values = Tensor(Array(w.prefix(found)))
    guard computingVectors else { return (values, nil) }
    if found == columns { return (values, Tensor(shape: [n, found], scalars: z)) }
    var vectors = [Scalar]()
    vectors.reserveCapacity(n * found)
    for row in 0..<n { vectors += z[row * columns..<row * columns + found] }
    return (values, Tensor(shape: [n, found], scalars: vectors))
  }
}

/// An ``Tensor/EigenRange`` translated into `?syevr`'s `range`, `vl`/`vu` and `il`/`iu` arguments.
private struct EigenSelection<Scalar: TensorScalar> {
  var code = UInt8(ascii: "A")
  var lowerValue: Scalar = 0
  var upperValue: Scalar = 0
  /// 1-based, inclusive, as LAPACK counts.
  var lowerIndex = 1
  var upperIndex = 1
  /// The most eigenvalues the selection can produce.
  var maximumCount: Int
  /// True when the selection is known to be empty before calling LAPACK.
  var isEmpty = false

  init(_ range: Tensor<Scalar>.EigenRange, order n: Int) {
    maximumCount = n
    switch range {
    case .all:
      break
    case .indices(let indices):
      precondition(
        indices.lowerBound >= 0 && indices.upperBound <= n,
        "eigenvalue indices \(indices) out of bounds for a matrix of order \(n)")
      code = UInt8(ascii: "I")
      lowerIndex = indices.lowerBound + 1
      upperIndex = indices.upperBound
      maximumCount = indices.count
      isEmpty = indices.isEmpty
    case .values(let interval):
      precondition(
        interval.lowerBound.isFinite && interval.upperBound.isFinite,
        "eigenvalue interval \(interval) must have finite bounds")
      // LAPACK selects the half-open interval (vl, vu]; step vl down to include the lower bound.
      code = UInt8(ascii: "V")
      lowerValue = interval.lowerBound.nextDown
      upperValue = interval.upperBound
    }
  }
}
