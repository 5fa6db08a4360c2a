// Argument checks shared by the LAPACK-backed routines. Every routine validates its operands
// before calling LAPACK, so malformed input surfaces as a `LinearAlgebraError` that names the
// problem rather than as a LAPACK diagnostic or a silently wrong result.

extension Tensor {
  /// Throws unless `self` is a matrix (rank 2).
  func requireMatrix(for operation: String) throws {
    guard rank == 2 else { throw LinearAlgebraError.notAMatrix(operation: operation, shape: shape) }
  }

  /// Throws unless `self` is a square matrix; returns its order.
  func requireSquareMatrix(for operation: String) throws -> Int {
    try requireMatrix(for: operation)
    guard shape[0] == shape[1] else { throw LinearAlgebraError.notSquare(operation: operation, shape: shape) }
    return shape[0]
  }

  /// Throws if any element is NaN or infinite, naming the first such element.
  func requireFinite(for operation: String) throws {
    guard let offset = scalars.firstIndex(where: { !$0.isFinite }) else { return }
    throw LinearAlgebraError.nonFiniteInput(operation: operation, position: multiIndex(ofOffset: offset))
  }

  /// Throws unless `self` is a right-hand side for an `n`-row system (shape `[n]` or `[n, k]`);
  /// returns the number of right-hand sides `k` (1 for a vector).
  func requireRightHandSide(rows n: Int, matrixShape: [Int], for operation: String) throws -> Int {
    guard (rank == 1 || rank == 2) && shape[0] == n else {
      throw LinearAlgebraError.incompatibleRightHandSide(
        operation: operation, matrix: matrixShape, rightHandSide: shape)
    }
    return rank == 1 ? 1 : shape[1]
  }

  /// The multi-index of a row-major element offset.
  func multiIndex(ofOffset offset: Int) -> [Int] {
    var remainder = offset
    var index = [Int](repeating: 0, count: rank)
    for axis in stride(from: rank - 1, through: 0, by: -1) where shape[axis] > 0 {
      index[axis] = remainder % shape[axis]
      remainder /= shape[axis]
    }
    return index
  }
}

/// Converts a negative LAPACK `info` (an illegal argument) into an error.
func requireLegalArguments(info: Int, routine: String) throws {
  if info < 0 { throw LinearAlgebraError.illegalArgument(routine: routine, argument: -info) }
}
