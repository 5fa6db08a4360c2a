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
  /// Single-precision copies of `C1` and `C2` for the GEMMs of the conditional-gradient path.
  let c1Single: [Float]
  let c2Single: [Float]
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
    c1Single = c1.map(Float.init)
    c2Single = c2.map(Float.init)
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

  /// `C1 T C2^T` for a sparse `T` whose entries lie in `R` distinct rows (masses of either sign),
  /// in single precision into `scratch.result` (`n x m`): `A^T B` where row `k` of `A` (`R x n`)
  /// is `C1[r_k, :]` for the `k`-th distinct row `r_k` and row `k` of `B` (`R x m`) is
  /// `sum_j T_{r_k j} C2[j, :]` (`C1`, `C2` symmetric). One GEMM of `2 n m R` flops: the
  /// difference of two permutations that differ in `r` rows has `2 r` entries but only `r` rows.
  /// The products only steer the conditional-gradient path; values are recomputed exactly in
  /// double precision by ``value(ofSupport:)``.
  ///
  /// - Returns: `R`, the inner dimension of the GEMM.
  @discardableResult
  func product(_ t: SparseCoupling, scratch: inout ProductScratch) -> Int {
    let n = n
    let m = m
    scratch.reserve(rows: n)
    var distinctRows: [Int] = []
    for i in t.rows where scratch.rowSlots[i] < 0 {
      scratch.rowSlots[i] = distinctRows.count
      distinctRows.append(i)
    }
    let count = distinctRows.count
    scratch.reserve(factors: count * (n + m), result: n * m)
    c1Single.withUnsafeBufferPointer { c1 in
      c2Single.withUnsafeBufferPointer { c2 in
        scratch.factors.withUnsafeMutableBufferPointer { factors in
          scratch.result.withUnsafeMutableBufferPointer { result in
            let a = factors.baseAddress!
            let b = a + count * n
            for (k, i) in distinctRows.enumerated() {
              (a + k * n).update(from: c1.baseAddress! + i * n, count: n)
            }
            b.update(repeating: 0, count: count * m)
            for e in t.rows.indices {
              let destination = b + scratch.rowSlots[t.rows[e]] * m
              let source = c2.baseAddress! + t.columns[e] * m
              let mass = Float(t.masses[e])
              for j in 0..<m { destination[j] += mass * source[j] }
            }
            let r = result.baseAddress!
            if count == 0 {
              r.update(repeating: 0, count: n * m)
            } else {
              Float.gemm(
                transposeA: true, transposeB: false, m: n, n: m, k: count, alpha: 1, a: a, lda: n, b: b, ldb: m, beta: 0,
                c: r, ldc: m)
            }
          }
        }
      }
    }
    for i in distinctRows { scratch.rowSlots[i] = -1 }
    return count
  }

  /// The exact objective `sum_{k,k'} (C1[r_k, r_k'] - C2[c_k, c_k'])^2 T_k T_k'` of a coupling given
  /// by its nonzero entries, in double precision and without cancellation: `O(K^2)`.
  func value(ofSupport t: SparseCoupling) -> Double {
    let count = t.rows.count
    var total = 0.0
    c1.withUnsafeBufferPointer { c1 in
      c2.withUnsafeBufferPointer { c2 in
        for k in 0..<count {
          let rowC1 = c1.baseAddress! + t.rows[k] * n
          let rowC2 = c2.baseAddress! + t.columns[k] * m
          var partial = 0.0
          for l in (k + 1)..<Swift.max(k + 1, count) {
            let difference = rowC1[t.rows[l]] - rowC2[t.columns[l]]
            partial += difference * difference * t.masses[l]
          }
          let diagonal = rowC1[t.rows[k]] - rowC2[t.columns[k]]
          total += t.masses[k] * (2 * partial + diagonal * diagonal * t.masses[k])
        }
      }
    }
    return total
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

/// Reusable single-precision buffers of ``SquareLossObjective/product(_:into:accumulate:scratch:)``.
struct ProductScratch {
  var factors: [Float] = []
  var result: [Float] = []
  /// The position of each row of `C1` among the distinct rows of the sparse factor, or -1.
  var rowSlots: [Int] = []

  mutating func reserve(rows: Int) {
    if rowSlots.count < rows { rowSlots = [Int](repeating: -1, count: rows) }
  }

  mutating func reserve(factors factorCount: Int, result resultCount: Int) {
    if factors.count < factorCount { factors = [Float](repeating: 0, count: factorCount) }
    if result.count < resultCount { result = [Float](repeating: 0, count: resultCount) }
  }
}

extension SparseCoupling {
  /// The nonzero entries of a dense row-major `n x m` coupling.
  init(dense t: UnsafePointer<Double>, n: Int, m: Int) {
    self.init(rows: [], columns: [], masses: [])
    for i in 0..<n {
      for j in 0..<m where t[i * m + j] != 0 {
        rows.append(i)
        columns.append(j)
        masses.append(t[i * m + j])
      }
    }
  }

  /// The number of rows holding at least one entry.
  var distinctRowCount: Int { Set(rows).count }

  /// The row-major `n x m` matrix with these entries.
  func dense(n: Int, m: Int) -> [Double] {
    var matrix = [Double](repeating: 0, count: n * m)
    for k in rows.indices { matrix[rows[k] * m + columns[k]] += masses[k] }
    return matrix
  }

  /// For a permutation coupling of `count` rows (one entry per row), the column of each row.
  func permutationColumns(count: Int) -> [Int] {
    var columns = [Int](repeating: 0, count: count)
    for k in rows.indices { columns[rows[k]] = self.columns[k] }
    return columns
  }

  /// `self - other` with entries that cancel removed (both with at most one entry per cell).
  func subtracting(_ other: SparseCoupling, width m: Int) -> SparseCoupling {
    var masses: [Int: Double] = [:]
    masses.reserveCapacity(rows.count + other.rows.count)
    for k in rows.indices { masses[rows[k] * m + columns[k], default: 0] += self.masses[k] }
    for k in other.rows.indices { masses[other.rows[k] * m + other.columns[k], default: 0] -= other.masses[k] }
    var difference = SparseCoupling(rows: [], columns: [], masses: [])
    for key in masses.keys.sorted() where masses[key]! != 0 {
      difference.rows.append(key / m)
      difference.columns.append(key % m)
      difference.masses.append(masses[key]!)
    }
    return difference
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
