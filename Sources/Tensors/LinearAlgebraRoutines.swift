import CLinearAlgebra

// The LAPACK requirements of `TensorScalar`, routed to the single- and double-precision
// LAPACKE entry points. Every call uses row-major layout; LAPACKE transposes internally.

/// An ASCII code as the C `char` LAPACKE expects.
@inline(__always)
private func lapackCharacter(_ code: UInt8) -> CChar { CChar(truncatingIfNeeded: code) }

/// Scratch space for `?syevr`'s eigenvector support indices, which the wrappers never expose.
@inline(__always)
private func withSupportIndices<R>(n: Int, _ body: (UnsafeMutablePointer<Int32>) -> R) -> R {
  var isuppz = [Int32](repeating: 0, count: 2 * Swift.max(1, n))
  return isuppz.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}

/// Scratch space for `?gesv`'s pivot indices.
@inline(__always)
private func withPivots<R>(n: Int, _ body: (UnsafeMutablePointer<Int32>) -> R) -> R {
  var ipiv = [Int32](repeating: 0, count: Swift.max(1, n))
  return ipiv.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}

extension Float {
  public static func syevr(
    jobz: UInt8, range: UInt8, uplo: UInt8, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
    vl: Float, vu: Float, il: Int, iu: Int, abstol: Float, m: inout Int,
    w: UnsafeMutablePointer<Float>, z: UnsafeMutablePointer<Float>, ldz: Int
  ) -> Int {
    var found: Int32 = 0
    let info = withSupportIndices(n: n) { isuppz in
      LAPACKE_ssyevr(
        LAPACK_ROW_MAJOR, lapackCharacter(jobz), lapackCharacter(range), lapackCharacter(uplo),
        Int32(n), a, Int32(lda), vl, vu, Int32(il), Int32(iu), abstol, &found, w, z, Int32(ldz), isuppz)
    }
    m = Int(found)
    return Int(info)
  }

  public static func gesdd(
    jobz: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, s: UnsafeMutablePointer<Float>,
    u: UnsafeMutablePointer<Float>, ldu: Int, vt: UnsafeMutablePointer<Float>, ldvt: Int
  ) -> Int {
    Int(
      LAPACKE_sgesdd(
        LAPACK_ROW_MAJOR, lapackCharacter(jobz), Int32(m), Int32(n), a, Int32(lda), s, u, Int32(ldu), vt,
        Int32(ldvt)))
  }

  public static func potrf(uplo: UInt8, n: Int, a: UnsafeMutablePointer<Float>, lda: Int) -> Int {
    Int(LAPACKE_spotrf(LAPACK_ROW_MAJOR, lapackCharacter(uplo), Int32(n), a, Int32(lda)))
  }

  public static func potrs(
    uplo: UInt8, n: Int, nrhs: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafeMutablePointer<Float>, ldb: Int
  ) -> Int {
    Int(
      LAPACKE_spotrs(
        LAPACK_ROW_MAJOR, lapackCharacter(uplo), Int32(n), Int32(nrhs), a, Int32(lda), b, Int32(ldb)))
  }

  public static func gesv(
    n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int, b: UnsafeMutablePointer<Float>, ldb: Int
  ) -> Int {
    withPivots(n: n) { ipiv in
      Int(LAPACKE_sgesv(LAPACK_ROW_MAJOR, Int32(n), Int32(nrhs), a, Int32(lda), ipiv, b, Int32(ldb)))
    }
  }

  public static func gecon(
    norm: UInt8, n: Int, a: UnsafePointer<Float>, lda: Int, anorm: Float, rcond: inout Float
  ) -> Int {
    Int(LAPACKE_sgecon(LAPACK_ROW_MAJOR, lapackCharacter(norm), Int32(n), a, Int32(lda), anorm, &rcond))
  }
}

extension Double {
  public static func syevr(
    jobz: UInt8, range: UInt8, uplo: UInt8, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
    vl: Double, vu: Double, il: Int, iu: Int, abstol: Double, m: inout Int,
    w: UnsafeMutablePointer<Double>, z: UnsafeMutablePointer<Double>, ldz: Int
  ) -> Int {
    var found: Int32 = 0
    let info = withSupportIndices(n: n) { isuppz in
      LAPACKE_dsyevr(
        LAPACK_ROW_MAJOR, lapackCharacter(jobz), lapackCharacter(range), lapackCharacter(uplo),
        Int32(n), a, Int32(lda), vl, vu, Int32(il), Int32(iu), abstol, &found, w, z, Int32(ldz), isuppz)
    }
    m = Int(found)
    return Int(info)
  }

  public static func gesdd(
    jobz: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, s: UnsafeMutablePointer<Double>,
    u: UnsafeMutablePointer<Double>, ldu: Int, vt: UnsafeMutablePointer<Double>, ldvt: Int
  ) -> Int {
    Int(
      LAPACKE_dgesdd(
        LAPACK_ROW_MAJOR, lapackCharacter(jobz), Int32(m), Int32(n), a, Int32(lda), s, u, Int32(ldu), vt,
        Int32(ldvt)))
  }

  public static func potrf(uplo: UInt8, n: Int, a: UnsafeMutablePointer<Double>, lda: Int) -> Int {
    Int(LAPACKE_dpotrf(LAPACK_ROW_MAJOR, lapackCharacter(uplo), Int32(n), a, Int32(lda)))
  }

  public static func potrs(
    uplo: UInt8, n: Int, nrhs: Int, a: UnsafePointer<Double>, lda: Int, b: UnsafeMutablePointer<Double>, ldb: Int
  ) -> Int {
    Int(
      LAPACKE_dpotrs(
        LAPACK_ROW_MAJOR, lapackCharacter(uplo), Int32(n), Int32(nrhs), a, Int32(lda), b, Int32(ldb)))
  }

  public static func gesv(
    n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int, b: UnsafeMutablePointer<Double>, ldb: Int
  ) -> Int {
    withPivots(n: n) { ipiv in
      Int(LAPACKE_dgesv(LAPACK_ROW_MAJOR, Int32(n), Int32(nrhs), a, Int32(lda), ipiv, b, Int32(ldb)))
    }
  }

  public static func gecon(
    norm: UInt8, n: Int, a: UnsafePointer<Double>, lda: Int, anorm: Double, rcond: inout Double
  ) -> Int {
    Int(LAPACKE_dgecon(LAPACK_ROW_MAJOR, lapackCharacter(norm), Int32(n), a, Int32(lda), anorm, &rcond))
  }
}
