import Foundation

/// Sinkhorn's algorithm for `min <M, T> - eps H(T)` over couplings of `p` and `q`, in the log
/// domain with absorption (Schmitzer, "Stabilized sparse scaling algorithms for entropy
/// regularized transport problems", 2019).
///
/// The plan is `T_ij = exp((f_i + g_j - M_ij) / eps)` for dual potentials `f`, `g` kept in
/// `Double`. Each absorption updates `f` by an exact log-sum-exp pass (which also builds the
/// stabilized kernel `K_ij = exp((f_i + g_j - M_ij) / eps)` with rows summing to `p`); between
/// absorptions, cheap scaling updates `u = p / K v`, `v = q / K^T u` run on that kernel (two
/// matrix-vector products per sweep). When a scaling leaves `[1e-50, 1e50]` it is absorbed into
/// the potentials, so any `eps` works without overflow or underflow. Potentials carry over
/// between calls (warm start), which is what epsilon annealing and the outer entropic
/// Gromov-Wasserstein loop rely on.
struct LogDomainSinkhorn {
  let n: Int
  let m: Int
  let p: [Double]
  let q: [Double]
  /// Dual potentials `f` (rows) and `g` (columns).
  var f: [Double]
  var g: [Double]
  private var kernel: [Double]
  private var u: [Double]
  private var v: [Double]
  private var product: [Double]
  private var transposedProduct: [Double]

  init(p: [Double], q: [Double]) {
    n = p.count
    m = q.count
    self.p = p
    self.q = q
    f = [Double](repeating: 0, count: p.count)
    g = [Double](repeating: 0, count: q.count)
    kernel = [Double](repeating: 0, count: p.count * q.count)
    u = [Double](repeating: 1, count: p.count)
    v = [Double](repeating: 1, count: q.count)
    product = [Double](repeating: 0, count: p.count)
    transposedProduct = [Double](repeating: 0, count: q.count)
  }

  /// Runs Sinkhorn for the `n x m` costs `M` at `epsilon`, writes the plan into `plan` and
  /// returns the marginal error `||T 1 - p||_1 + ||T^T 1 - q||_1` and the sweeps run.
  mutating func solve(
    costs: UnsafePointer<Double>, epsilon: Double, maxIterations: Int, tolerance: Double,
    plan: UnsafeMutablePointer<Double>
  ) -> (marginalError: Double, iterations: Int) {
    absorb(costs: costs, epsilon: epsilon)
    var iterations = 0
    var error = Double.infinity
    while iterations < maxIterations {
      iterations += 1
      updateColumnScaling()
      updateRowScaling()
      if !scalingsAreModerate() {
        absorb(costs: costs, epsilon: epsilon)
        continue
      }
      if iterations % 10 == 0 || iterations == maxIterations {
        error = columnMarginalError()
        if error < tolerance { break }
      }
    }
    // Write the plan, then fold the scalings into the potentials.
    for i in 0..<n {
      for j in 0..<m { plan[i * m + j] = kernel[i * m + j] * u[i] * v[j] }
    }
    for i in 0..<n {
      f[i] += epsilon * Foundation.log(u[i])
      u[i] = 1
    }
    for j in 0..<m {
      g[j] += epsilon * Foundation.log(v[j])
      v[j] = 1
    }
    return (marginalError(plan), iterations)
  }

  /// `||T 1 - p||_1 + ||T^T 1 - q||_1`.
  func marginalError(_ plan: UnsafePointer<Double>) -> Double {
    var error = 0.0
    var columns = [Double](repeating: 0, count: m)
    for i in 0..<n {
      var rowSum = 0.0
      for j in 0..<m {
        rowSum += plan[i * m + j]
        columns[j] += plan[i * m + j]
      }
      error += Swift.abs(rowSum - p[i])
    }
    for j in 0..<m { error += Swift.abs(columns[j] - q[j]) }
    return error
  }

  /// Absorbs the scalings into the potentials, updates `f` exactly (log-sum-exp) and rebuilds
  /// the kernel; repeats with an exact `g` update if a column of the kernel underflowed.
  private mutating func absorb(costs: UnsafePointer<Double>, epsilon: Double) {
    for j in 0..<m where v[j] != 1 { g[j] += epsilon * Foundation.log(v[j]) }
    for attempt in 0..<3 {
      updateRowPotentialsAndKernel(costs: costs, epsilon: epsilon)
      for i in 0..<n { u[i] = 1 }
      for j in 0..<m { v[j] = 1 }
      columnSums()
      let underflow = (0..<m).contains { q[$0] > 0 && !(transposedProduct[$0] > 1e-280) }
      if !underflow || attempt == 2 { break }
      updateColumnPotentials(costs: costs, epsilon: epsilon)
    }
  }

  /// `f_i = eps log p_i - eps LSE_j((g_j - M_ij) / eps)`, and the kernel with rows summing to `p`.
  private mutating func updateRowPotentialsAndKernel(costs: UnsafePointer<Double>, epsilon: Double) {
    let inverse = 1 / epsilon
    kernel.withUnsafeMutableBufferPointer { k in
      g.withUnsafeBufferPointer { g in
        for i in 0..<n {
          let row = k.baseAddress! + i * m
          let cost = costs + i * m
          guard p[i] > 0 else {
            row.update(repeating: 0, count: m)
            f[i] = -.infinity
            continue
          }
          var largest = -Double.infinity
          for j in 0..<m {
            let s = (g[j] - cost[j]) * inverse
            row[j] = s
            if s > largest { largest = s }
          }
          var sum = 0.0
          for j in 0..<m {
            let e = Foundation.exp(row[j] - largest)
            row[j] = e
            sum += e
          }
          f[i] = epsilon * (Foundation.log(p[i]) - largest - Foundation.log(sum))
          let scale = p[i] / sum
          for j in 0..<m { row[j] *= scale }
        }
      }
    }
  }

  /// `g_j = eps log q_j - eps LSE_i((f_i - M_ij) / eps)`, column by column.
  private mutating func updateColumnPotentials(costs: UnsafePointer<Double>, epsilon: Double) {
    let inverse = 1 / epsilon
    for j in 0..<m {
      guard q[j] > 0 else {
        g[j] = -.infinity
        continue
      }
      var largest = -Double.infinity
      for i in 0..<n where p[i] > 0 { largest = Swift.max(largest, (f[i] - costs[i * m + j]) * inverse) }
      var sum = 0.0
      for i in 0..<n where p[i] > 0 { sum += Foundation.exp((f[i] - costs[i * m + j]) * inverse - largest) }
      g[j] = epsilon * (Foundation.log(q[j]) - largest - Foundation.log(sum))
    }
  }

  /// `K^T u` into `transposedProduct`.
  private mutating func columnSums() {
    kernel.withUnsafeBufferPointer { k in
      u.withUnsafeBufferPointer { u in
        transposedProduct.withUnsafeMutableBufferPointer { out in
          Double.gemm(
            transposeA: true, transposeB: false, m: m, n: 1, k: n, alpha: 1, a: k.baseAddress!, lda: m,
            b: u.baseAddress!, ldb: 1, beta: 0, c: out.baseAddress!, ldc: 1)
        }
      }
    }
  }

  /// `v = q / K^T u` (0 where `q_j = 0`).
  private mutating func updateColumnScaling() {
    columnSums()
    for j in 0..<m { v[j] = q[j] > 0 ? q[j] / transposedProduct[j] : 0 }
  }

  /// `u = p / K v` (0 where `p_i = 0`).
  private mutating func updateRowScaling() {
    kernel.withUnsafeBufferPointer { k in
      v.withUnsafeBufferPointer { v in
        product.withUnsafeMutableBufferPointer { out in
          Double.gemm(
            transposeA: false, transposeB: false, m: n, n: 1, k: m, alpha: 1, a: k.baseAddress!, lda: m,
            b: v.baseAddress!, ldb: 1, beta: 0, c: out.baseAddress!, ldc: 1)
        }
      }
    }
    for i in 0..<n { u[i] = p[i] > 0 ? p[i] / product[i] : 0 }
  }

  /// `||v o K^T u - q||_1`, the column marginal error (rows are exact after a `u` update).
  private mutating func columnMarginalError() -> Double {
    columnSums()
    var error = 0.0
    for j in 0..<m { error += Swift.abs(v[j] * transposedProduct[j] - q[j]) }
    return error
  }

  private func scalingsAreModerate() -> Bool {
    for i in 0..<n where p[i] > 0 && !(u[i] > 1e-50 && u[i] < 1e50) { return false }
    for j in 0..<m where q[j] > 0 && !(v[j] > 1e-50 && v[j] < 1e50) { return false }
    return true
  }
}
