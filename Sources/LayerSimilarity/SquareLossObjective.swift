/// A coupling with few nonzero entries (a vertex of the transport polytope): `masses[k]` at
/// `(rows[k], columns[k])`.
struct SparseCoupling: Sendable {
  var rows: [Int]
  var columns: [Int]
  var masses: [Double]

  /// The coupling `diag(p)` (the identity coupling `I/n` for uniform weights).
  static func diagonal(_ p: [Double]) -> SparseCoupling {
    SparseCoupling(rows: Array(p.indices), columns: Array(p.indices), masses: p)
  }

  /// The permutation coupling `T_{i, sigma(i)} = 1/n`.
  static func permutation(_ sigma: [Int]) -> SparseCoupling {
    let mass = 1 / Double(sigma.count)
    return SparseCoupling(rows: Array(sigma.indices), columns: sigma, masses: [Double](repeating: mass, count: sigma.count))
  }

  /// `sum_k masses[k] * matrix[rows[k], columns[k]]` for a row-major matrix with `width` columns.
  func dot(_ matrix: UnsafePointer<Double>, width: Int) -> Double {
    var total = 0.0
    for k in rows.indices { total += masses[k] * matrix[rows[k] * width + columns[k]] }
    return total
  }
}

/// The square-loss Gromov-Wasserstein objective between `(C1, p)` and `(C2, q)`:
/// `f(T) = sum_{i,j,k,l} (C1_ik - C2_jl)^2 T_ij T_kl`.
///
/// With `C1`, `C2` symmetric and `T` in the transport polytope (Peyre, Cuturi and Solomon 2016),
/// `f(T) = p^T (C1 o C1) p + q^T (C2 o C2) q - 2 <C1 T C2^T, T>`, so the objective and its
/// gradient `2 constC - 4 C1 T C2^T` (`constC = (C1 o C1) p 1^T + 1 q^T (C2 o C2)^T`, constant on the
/// polytope up to row and column terms) need only the product `G = C1 T C2^T`: two GEMMs for a
/// dense `T`, one for a sparse `T`. The `n^4` tensor is never built.
struct SquareLossObjective: Sendable {
  let n: Int
  let m: Int
  let c1: [Double]
  let c2: [Double]
  let p: [Double]
  let q: [Double]
  /// `(C1 o C1) p` and `(C2 o C2) q`: `constC = rowTerm 1^T + 1 columnTerm^T`.
  let rowTerm: [Double]
  let columnTerm: [Double]
  /// `p^T (C1 o C1) p + q^T (C2 o C2) q`, the value of `<constC, T>` for every feasible `T`.
  let constant: Double

  init(_ source: MetricMeasureSpace, _ target: MetricMeasureSpace) {
    n = source.count
    m = target.count
    c1 = source.distanceValues
    c2 = target.distanceValues
    p = source.weightValues
    q = target.weightValues
    rowTerm = SquareLossObjective.squaredProduct(c1, p)
    columnTerm = SquareLossObjective.squaredProduct(c2, q)
    constant = zip(rowTerm, p).reduce(0) { $0 + $1.0 * $1.1 } + zip(columnTerm, q).reduce(0) { $0 + $1.0 * $1.1 }
  }

  /// `(C o C) w` for a symmetric `C`.
  private static func squaredProduct(_ c: [Double], _ w: [Double]) -> [Double] {
    let size = w.count
    return (0..<size).map { i in
      var total = 0.0
      for k in 0..<size {
        let value = c[i * size + k]
        total += value * value * w[k]
      }
      return total
    }
  }

  /// `<constC, T>` for any `T` (feasible or not): `<rowTerm, T 1> + <columnTerm, T^T 1>`.
  func linearTerm(_ t: UnsafePointer<Double>) -> Double {
    var total = 0.0
    for i in 0..<n {
      let row = t + i * m
      var rowSum = 0.0
      for j in 0..<m {
        rowSum += row[j]
        total += columnTerm[j] * row[j]
      }
      total += rowTerm[i] * rowSum
    }
    return total
  }

  /// `G = C1 T C2^T` for a sparse `T` with `K` entries: `A^T B` where row `k` of `A` (`K x n`)
  /// is `T_k * C1[r_k, :]` and row `k` of `B` (`K x m`) is `C2[c_k, :]` (`C1`, `C2` symmetric).
  /// One GEMM of `2 n m K` flops; `scratch` must hold `K (n + m)` values.
  func product(_ t: SparseCoupling, into g: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
    let count = t.rows.count
    let a = scratch
    let b = scratch + count * n
    c1.withUnsafeBufferPointer { c1 in
      c2.withUnsafeBufferPointer { c2 in
        for k in 0..<count {
          let source = c1.baseAddress! + t.rows[k] * n
          let destination = a + k * n
          let mass = t.masses[k]
          for i in 0..<n { destination[i] = mass * source[i] }
          (b + k * m).update(from: c2.baseAddress! + t.columns[k] * m, count: m)
        }
      }
    }
    Double.gemm(
      transposeA: true, transposeB: false, m: n, n: m, k: count, alpha: 1, a: a, lda: n, b: b, ldb: m, beta: 0, c: g,
      ldc: m)
  }

  /// `G = C1 T C2^T` for a dense `T` (`n x m`): two GEMMs; `scratch` must hold `n m` values.
  func product(dense t: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
    c1.withUnsafeBufferPointer { c1 in
      c2.withUnsafeBufferPointer { c2 in
        Double.gemm(
          transposeA: false, transposeB: false, m: n, n: m, k: n, alpha: 1, a: c1.baseAddress!, lda: n, b: t, ldb: m,
          beta: 0, c: scratch, ldc: m)
        Double.gemm(
          transposeA: false, transposeB: true, m: n, n: m, k: m, alpha: 1, a: scratch, lda: m, b: c2.baseAddress!,
          ldb: m, beta: 0, c: g, ldc: m)
      }
    }
  }

  /// `C1 p` and `C2 q`: the product coupling's `G = C1 p q^T C2^T` is their outer product.
  func independentCouplingFactors() -> (left: [Double], right: [Double]) {
    let left = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + c1[i * n + $1] * p[$1] } }
    let right = (0..<m).map { j in (0..<m).reduce(0.0) { $0 + c2[j * m + $1] * q[$1] } }
    return (left, right)
  }
}

extension SparseCoupling {
  /// The comonotone coupling of `p` and `q` along the orders of `left` and `right` (north-west
  /// corner rule on both sorted sequences). It maximizes `sum_ij left_i right_j T_ij`, so it
  /// solves the linear step exactly when the gradient is rank one, as at the product start
  /// (`-G = -(C1 p)(C2 q)^T` is a Monge matrix once rows and columns are sorted), in
  /// `O(n log n)`. For uniform weights of equal size it is the sorting permutation.
  static func comonotone(left: [Double], right: [Double], p: [Double], q: [Double]) -> SparseCoupling {
    let rowOrder = left.indices.sorted { left[$0] < left[$1] || (left[$0] == left[$1] && $0 < $1) }
    let columnOrder = right.indices.sorted { right[$0] < right[$1] || (right[$0] == right[$1] && $0 < $1) }
    var coupling = SparseCoupling(rows: [], columns: [], masses: [])
    var i = 0
    var j = 0
    var rowMass = p[rowOrder[0]]
    var columnMass = q[columnOrder[0]]
    while i < rowOrder.count && j < columnOrder.count {
      let mass = Swift.min(rowMass, columnMass)
      if mass > 0 {
        coupling.rows.append(rowOrder[i])
        coupling.columns.append(columnOrder[j])
        coupling.masses.append(mass)
      }
      let rowDone = rowMass <= columnMass
      let columnDone = columnMass <= rowMass
      rowMass -= mass
      columnMass -= mass
      if rowDone {
        i += 1
        if i < rowOrder.count { rowMass = p[rowOrder[i]] }
      }
      if columnDone {
        j += 1
        if j < columnOrder.count { columnMass = q[columnOrder[j]] }
      }
    }
    return coupling
  }
}

/// `<A, B>` for two buffers of `count` values.
@inline(__always)
func innerProduct(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
  var s0 = 0.0
  var s1 = 0.0
  var s2 = 0.0
  var s3 = 0.0
  var k = 0
  while k + 4 <= count {
    s0 += a[k] * b[k]
    s1 += a[k + 1] * b[k + 1]
    s2 += a[k + 2] * b[k + 2]
    s3 += a[k + 3] * b[k + 3]
    k += 4
  }
  while k < count {
    s0 += a[k] * b[k]
    k += 1
  }
  return (s0 + s1) + (s2 + s3)
}
