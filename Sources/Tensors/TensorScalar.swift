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

  /// `batch` products C_i = op(A_i) op(B_i), row-major, C packed; tiny ones run directly.
  static func batchedGEMM(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, batch: Int,
    a: UnsafePointer<Self>, strideA: Int, b: UnsafePointer<Self>, strideB: Int, c: UnsafeMutablePointer<Self>)

  /// y[i * incy] = x[i * incx] for i in 0..<count (BLAS `?copy`).
  static func copy(
    count: Int, from x: UnsafePointer<Self>, stride incx: Int, to y: UnsafeMutablePointer<Self>, stride incy: Int)

  /// y[i * incy] += x[i * incx] for i in 0..<count (BLAS `?axpy` with alpha 1).
  static func accumulate(
    count: Int, from x: UnsafePointer<Self>, stride incx: Int, into y: UnsafeMutablePointer<Self>, stride incy: Int)

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

  // MARK: LAPACK (row-major LAPACKE; Float/Double implementations in LinearAlgebraRoutines.swift)
  // Characters (`jobz`, `uplo`, ...) are ASCII codes such as `UInt8(ascii: "V")`; each routine
  // returns LAPACK's `info` (0 on success, -i for an illegal i-th argument, > 0 routine-specific).

  /// Selected eigenvalues (`w`, ascending) and, when `jobz` is `V`, eigenvectors (columns of the
  /// row-major `z`) of the symmetric matrix stored in the `uplo` triangle of `a` (`?syevr`).
  /// `m` receives the number of eigenvalues found. `a` is destroyed.
  static func syevr(
    jobz: UInt8, range: UInt8, uplo: UInt8, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
    vl: Self, vu: Self, il: Int, iu: Int, abstol: Self, m: inout Int,
    w: UnsafeMutablePointer<Self>, z: UnsafeMutablePointer<Self>, ldz: Int
  ) -> Int

  /// Singular value decomposition by divide and conquer (`?gesdd`); `a` is destroyed.
  static func gesdd(
    jobz: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int, s: UnsafeMutablePointer<Self>,
    u: UnsafeMutablePointer<Self>, ldu: Int, vt: UnsafeMutablePointer<Self>, ldvt: Int
  ) -> Int

  /// Cholesky factorization of the `uplo` triangle of `a`, in place (`?potrf`).
  static func potrf(uplo: UInt8, n: Int, a: UnsafeMutablePointer<Self>, lda: Int) -> Int

  /// Solves `A X = B` in place in `b` from the Cholesky factor in `a` (`?potrs`).
  static func potrs(
    uplo: UInt8, n: Int, nrhs: Int, a: UnsafePointer<Self>, lda: Int, b: UnsafeMutablePointer<Self>, ldb: Int
  ) -> Int

  /// Solves `A X = B` by LU with partial pivoting (`?gesv`); `a` receives the LU factors and
  /// `b` the solution.
  static func gesv(
    n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, lda: Int, b: UnsafeMutablePointer<Self>, ldb: Int
  ) -> Int

  /// Estimates the reciprocal condition number of a matrix from its LU factors in `a` and the
  /// `norm` (`1` or `I`) of the original matrix (`?gecon`).
  static func gecon(norm: UInt8, n: Int, a: UnsafePointer<Self>, lda: Int, anorm: Self, rcond: inout Self) -> Int
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

  public static func batchedGEMM(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, batch: Int,
    a: UnsafePointer<Float>, strideA: Int, b: UnsafePointer<Float>, strideB: Int, c: UnsafeMutablePointer<Float>
  ) {
    BatchedGEMM.run(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, batch: batch, a: a, strideA: strideA, b: b,
      strideB: strideB, c: c)
  }

  public static func copy(
    count: Int, from x: UnsafePointer<Float>, stride incx: Int, to y: UnsafeMutablePointer<Float>, stride incy: Int
  ) {
    if incx == 1 && incy == 1 {
      y.update(from: x, count: count)
    } else {
      cblas_scopy(Int32(count), x, Int32(incx), y, Int32(incy))
    }
  }

  public static func accumulate(
    count: Int, from x: UnsafePointer<Float>, stride incx: Int, into y: UnsafeMutablePointer<Float>, stride incy: Int
  ) {
    cblas_saxpy(Int32(count), 1, x, Int32(incx), y, Int32(incy))
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

  public static func batchedGEMM(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, batch: Int,
    a: UnsafePointer<Double>, strideA: Int, b: UnsafePointer<Double>, strideB: Int, c: UnsafeMutablePointer<Double>
  ) {
    BatchedGEMM.run(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, batch: batch, a: a, strideA: strideA, b: b,
      strideB: strideB, c: c)
  }

  public static func copy(
    count: Int, from x: UnsafePointer<Double>, stride incx: Int, to y: UnsafeMutablePointer<Double>, stride incy: Int
  ) {
    if incx == 1 && incy == 1 {
      y.update(from: x, count: count)
    } else {
      cblas_dcopy(Int32(count), x, Int32(incx), y, Int32(incy))
    }
  }

  public static func accumulate(
    count: Int, from x: UnsafePointer<Double>, stride incx: Int, into y: UnsafeMutablePointer<Double>, stride incy: Int
  ) {
    cblas_daxpy(Int32(count), 1, x, Int32(incx), y, Int32(incy))
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
