/// The conditional-gradient coupling `T`, a convex combination of the vertices visited, stored as
/// `scale * masses` so that the step `T <- (1 - alpha) T + alpha V` touches only the entries of
/// `V` (the factor `1 - alpha` goes into `scale`), with the list of nonzero entries kept beside
/// the dense `n x m` masses: inner products with `T` cost `O(support)` instead of `O(n m)`.
///
/// The product start's `p q^T` has every entry: until the coupling first moves all the way to a
/// vertex it is held densely (`support == nil`) and inner products scan every entry.
struct ConvexCombination {
  let n: Int
  let m: Int
  /// Unscaled masses, `n x m` row-major; zero off the support.
  private(set) var masses: [Double]
  /// Flat indices of the nonzero masses, or `nil` when every entry may be nonzero.
  private(set) var support: [Int]?
  private(set) var scale = 1.0

  init(n: Int, m: Int) {
    self.n = n
    self.m = m
    masses = [Double](repeating: 0, count: n * m)
    support = []
  }

  /// `T = vertex`.
  mutating func reset(to vertex: SparseCoupling) {
    clear()
    scale = 1
    add(vertex, weight: 1)
  }

  /// `T = p q^T`, held densely.
  mutating func resetToProduct(_ p: [Double], _ q: [Double]) {
    scale = 1
    support = nil
    masses.withUnsafeMutableBufferPointer { t in
      for i in 0..<n {
        for j in 0..<m { t[i * m + j] = p[i] * q[j] }
      }
    }
  }

  /// `T <- (1 - alpha) T + alpha vertex` for `0 < alpha < 1`.
  mutating func move(toward vertex: SparseCoupling, by alpha: Double) {
    scale *= 1 - alpha
    if scale < 1e-100 { absorbScale() }
    add(vertex, weight: alpha / scale)
  }

  /// `<T, matrix>` for a row-major `n x m` matrix.
  func dot(_ matrix: UnsafePointer<Double>) -> Double {
    masses.withUnsafeBufferPointer { t in
      guard let support else { return scale * innerProduct(t.baseAddress!, matrix, count: n * m) }
      var total = 0.0
      for index in support { total += t[index] * matrix[index] }
      return scale * total
    }
  }

  /// `<T, base + extra>` with `extra` in single precision (`base` omitted when `nil`): the inner
  /// product with a matrix before it is formed.
  func dot(_ base: UnsafePointer<Double>?, plus extra: UnsafePointer<Float>) -> Double {
    masses.withUnsafeBufferPointer { t in
      var total = 0.0
      if let support {
        if let base {
          for index in support { total += t[index] * (base[index] + Double(extra[index])) }
        } else {
          for index in support { total += t[index] * Double(extra[index]) }
        }
      } else {
        for index in 0..<(n * m) { total += t[index] * ((base?[index] ?? 0) + Double(extra[index])) }
      }
      return scale * total
    }
  }

  /// The nonzero entries of `T`, row-major.
  var entries: SparseCoupling {
    var coupling = SparseCoupling(rows: [], columns: [], masses: [])
    let indices = support.map { $0.sorted() } ?? Array(0..<(n * m))
    for index in indices where masses[index] != 0 {
      coupling.rows.append(index / m)
      coupling.columns.append(index % m)
      coupling.masses.append(scale * masses[index])
    }
    return coupling
  }

  /// `T` as a dense row-major `n x m` array.
  var dense: [Double] {
    if scale == 1 { return masses }
    return masses.map { scale * $0 }
  }

  private mutating func add(_ vertex: SparseCoupling, weight: Double) {
    for k in vertex.rows.indices {
      let index = vertex.rows[k] * m + vertex.columns[k]
      if masses[index] == 0 { support?.append(index) }
      masses[index] += weight * vertex.masses[k]
    }
  }

  private mutating func clear() {
    if let support {
      for index in support { masses[index] = 0 }
    } else {
      masses.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
    support = []
  }

  private mutating func absorbScale() {
    let factor = scale
    if let support {
      for index in support { masses[index] *= factor }
    } else {
      for index in masses.indices { masses[index] *= factor }
    }
    scale = 1
  }
}
