import CLinearAlgebra
import RealModule

/// A floating-point element type a ``Tensor`` can hold: `Float` or `Double`.
///
/// Each conforming type routes the dense kernels to the matching BLAS and LAPACK routines
/// (`sgemm`/`dgemm`, `ssyevr`/`dsyevr`, ...). Elementwise kernels are implemented once,
/// generically, and specialized for each type inside this module, so the per-element loops
/// never go through protocol dispatch.
public protocol TensorScalar: BinaryFloatingPoint, Real, Sendable, Codable
where RawSignificand: FixedWidthInteger {
  /// The dtype name used in file formats and messages ("F32" or "F64").
  static var dtypeName: String { get }

  /// C = alpha * op(A) * op(B) + beta * C on row-major matrices (BLAS `?gemm`).
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Self, a: UnsafePointer<Self>, lda: Int,
    b: UnsafePointer<Self>, ldb: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

  /// Applies a unary elementwise operation.
  static func apply(_ operation: UnaryOperation, _ x: UnsafeBufferPointer<Self>, into y: UnsafeMutableBufferPointer<Self>)

  /// Applies a binary elementwise operation under a broadcast plan.
  static func apply(
    _ operation: BinaryOperation, _ a: UnsafeBufferPointer<Self>, _ b: UnsafeBufferPointer<Self>,
    plan: BroadcastPlan, into y: UnsafeMutableBufferPointer<Self>)

  /// Sums (or takes the maximum over) the middle axis of a `[outer, axis, inner]` view.
  static func reduce(
    _ operation: ReductionOperation, _ x: UnsafeBufferPointer<Self>, outer: Int, axis: Int, inner: Int,
    into y: UnsafeMutableBufferPointer<Self>)
}

extension Float: TensorScalar {
  public static var dtypeName: String { "F32" }

  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  public static func apply(
    _ operation: UnaryOperation, _ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>
  ) { unaryKernel(operation, x, y) }

  public static func apply(
    _ operation: BinaryOperation, _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
    plan: BroadcastPlan, into y: UnsafeMutableBufferPointer<Float>
  ) { binaryKernel(operation, a, b, plan, y) }

  public static func reduce(
    _ operation: ReductionOperation, _ x: UnsafeBufferPointer<Float>, outer: Int, axis: Int, inner: Int,
    into y: UnsafeMutableBufferPointer<Float>
  ) { reductionKernel(operation, x, outer, axis, inner, y) }
}

extension Double: TensorScalar {
  public static var dtypeName: String { "F64" }

  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Double, a: UnsafePointer<Double>, lda: Int,
    b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  public static func apply(
    _ operation: UnaryOperation, _ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>
  ) { unaryKernel(operation, x, y) }

  public static func apply(
    _ operation: BinaryOperation, _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>,
    plan: BroadcastPlan, into y: UnsafeMutableBufferPointer<Double>
  ) { binaryKernel(operation, a, b, plan, y) }

  public static func reduce(
    _ operation: ReductionOperation, _ x: UnsafeBufferPointer<Double>, outer: Int, axis: Int, inner: Int,
    into y: UnsafeMutableBufferPointer<Double>
  ) { reductionKernel(operation, x, outer, axis, inner, y) }
}
