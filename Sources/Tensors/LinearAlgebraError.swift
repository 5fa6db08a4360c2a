/// A reason a dense linear-algebra routine (``Tensor/symmetricEigen(range:)``,
/// ``Tensor/singularValueDecomposition(fullMatrices:)``, ``Tensor/cholesky()``,
/// ``Tensor/solve(_:)``, ...) could not produce a result.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The operand is not a rank-2 tensor.
  case notAMatrix(operation: String, shape: [Int])
  /// The operand must be a square matrix but has this shape.
  case notSquare(operation: String, shape: [Int])
  /// The right-hand side does not have as many rows as the matrix.
  case incompatibleRightHandSide(operation: String, matrix: [Int], rightHandSide: [Int])
  /// An operand holds a NaN or an infinity; `position` is the multi-index of the first one.
  case nonFiniteInput(operation: String, position: [Int])
  /// The matrix is not positive definite: the leading minor of order `order` (1-based) is not.
  case notPositiveDefinite(order: Int)
  /// A factorization met an exactly zero pivot: `U[pivot, pivot]` of an LU factorization, or
  /// `L[pivot, pivot]` of a Cholesky factor (1-based, as LAPACK reports it).
  case singular(pivot: Int)
  /// The matrix is singular to working precision: its estimated reciprocal condition number in
  /// the 1-norm is below the scalar type's machine epsilon.
  case nearlySingular(reciprocalCondition: Double)
  /// The iterative part of a routine did not converge; `info` is LAPACK's diagnostic.
  case didNotConverge(operation: String, info: Int)
  /// LAPACK rejected argument `argument` (1-based); this indicates a bug in the caller of LAPACK.
  case illegalArgument(routine: String, argument: Int)

  public var description: String {
    switch self {
    case .notAMatrix(let operation, let shape):
      return "\(operation): expected a matrix (rank 2), got shape \(shape)"
    case .notSquare(let operation, let shape):
      return "\(operation): expected a square matrix, got shape \(shape)"
    case .incompatibleRightHandSide(let operation, let matrix, let rightHandSide):
      return "\(operation): right-hand side of shape \(rightHandSide) does not match matrix of shape \(matrix)"
    case .nonFiniteInput(let operation, let position):
      return "\(operation): input contains a non-finite value (NaN or infinity) at \(position)"
    case .notPositiveDefinite(let order):
      return "cholesky: matrix is not positive definite (the leading minor of order \(order) is not)"
    case .singular(let pivot):
      return "matrix is singular: pivot \(pivot) (1-based) of its factorization is exactly zero"
    case .nearlySingular(let reciprocalCondition):
      return "solve: matrix is singular to working precision (reciprocal condition number \(reciprocalCondition))"
    case .didNotConverge(let operation, let info):
      return "\(operation): LAPACK did not converge (info \(info))"
    case .illegalArgument(let routine, let argument):
      return "\(routine): LAPACK rejected argument \(argument)"
    }
  }
}
