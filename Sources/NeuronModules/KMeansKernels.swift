import Foundation
import Tensors

/// The outcome of one k-means start.
struct LloydRun: Sendable {
  var labels: [Int]
  var centers: [Double]
  var inertia: Double
  var iterations: Int
}

/// The points of a k-means problem, shared read-only by all starts: row-major `[n, d]`
/// coordinates and each row's squared norm. Distances are computed as scikit-learn does,
/// `||x||^2 + ||c||^2 - 2 x.c` with the products from one GEMM per step (clipped at 0).
struct KMeansPoints: Sendable {
  let n: Int
  let d: Int
  let data: [Double]
  let squaredNorms: [Double]

  init(data: [Double], n: Int, d: Int) {
    self.n = n
    self.d = d
    self.data = data
    squaredNorms = (0..<n).map { i in
      var sum = 0.0
      for f in 0..<d { sum += data[i * d + f] * data[i * d + f] }
      return sum
    }
  }

  /// The mean over features of the population variance of each column.
  var meanVariance: Double {
    guard n > 0, d > 0 else { return 0 }
    var total = 0.0
    for j in 0..<d {
      var mean = 0.0
      for i in 0..<n { mean += data[i * d + j] }
      mean /= Double(n)
      var sum = 0.0
      for i in 0..<n {
        let e = data[i * d + j] - mean
        sum += e * e
      }
      total += sum / Double(n)
    }
    return total / Double(d)
  }

  /// `products[r * n + i] = x_i . c_r` for the `rows` centers in `centers` (`[rows, d]`).
  func products(with centers: [Double], rows: Int, into products: inout [Double]) {
    data.withUnsafeBufferPointer { x in
      Double.gemm(
        transposeA: false, transposeB: true, m: rows, n: n, k: d, alpha: 1, a: centers, lda: d, b: x.baseAddress!, ldb: d,
        beta: 0, c: &products, ldc: n)
    }
  }

  /// The exact sum of squared distances from the points to their centers.
  func inertia(labels: [Int], centers: [Double]) -> Double {
    var total = 0.0
    for i in 0..<n {
      let c = labels[i] * d
      for f in 0..<d {
        let e = data[i * d + f] - centers[c + f]
        total += e * e
      }
    }
    return total
  }
}

/// A uniform double in `[0, 1)` from the top 53 bits, as `SeededGenerator.nextUniform(as: Double.self)`.
@inline(__always)
private func uniform(_ generator: inout SeededGenerator) -> Double {
  Double(generator.next() >> 11) * 0x1p-53
}

/// `out[i] = min(closest[i], max(norms[i] + centerNorm - 2 products[i], 0))` and the sum of `out`.
@inline(__always)
private func clippedMinimum(
  _ closest: UnsafePointer<Double>, _ norms: UnsafePointer<Double>, _ centerNorm: Double, _ products: UnsafePointer<Double>,
  _ out: UnsafeMutablePointer<Double>, _ n: Int
) -> Double {
  var sum4 = SIMD4<Double>()
  let zero = SIMD4<Double>()
  let c4 = SIMD4<Double>(repeating: centerNorm)
  var i = 0
  while i + 4 <= n {
    let norm = UnsafeRawPointer(norms + i).loadUnaligned(as: SIMD4<Double>.self)
    let product = UnsafeRawPointer(products + i).loadUnaligned(as: SIMD4<Double>.self)
    let near = UnsafeRawPointer(closest + i).loadUnaligned(as: SIMD4<Double>.self)
    var distance = norm + c4 - 2 * product
    distance.replace(with: zero, where: distance .< zero)
    distance.replace(with: near, where: near .< distance)
    UnsafeMutableRawPointer(out + i).storeBytes(of: distance, as: SIMD4<Double>.self)
    sum4 += distance
    i += 4
  }
  var sum = sum4.sum()
  while i < n {
    let distance = Swift.min(closest[i], Swift.max(norms[i] + centerNorm - 2 * products[i], 0))
    out[i] = distance
    sum += distance
    i += 1
  }
  return sum
}

/// Greedy k-means++ (Arthur and Vassilvitskii 2007, with scikit-learn's local trials): the first
/// center uniformly at random; each next one the best, by resulting potential, of
/// `2 + floor(ln k)` candidates drawn with probability proportional to the squared distance
/// to the nearest chosen center. The candidates' distances to all points come from one GEMM.
func kMeansPlusPlus(_ points: KMeansPoints, k: Int, using generator: inout SeededGenerator) -> [Double] {
  let (n, d) = (points.n, points.d)
  let trials = 2 + Int(Foundation.log(Double(k)))
  var centers = [Double](repeating: 0, count: k * d)
  let first = generator.nextInt(below: n)
  for f in 0..<d { centers[f] = points.data[first * d + f] }
  var products = [Double](repeating: 0, count: trials * n)
  var closest = [Double](repeating: .infinity, count: n)
  var candidates = [Double](repeating: 0, count: trials * d)
  var distances = [Double](repeating: 0, count: trials * n)
  var cumulative = [Double](repeating: 0, count: n)
  points.products(with: Array(centers[0..<d]), rows: 1, into: &products)
  var potential = points.squaredNorms.withUnsafeBufferPointer { norms in
    products.withUnsafeBufferPointer { p in
      closest.withUnsafeMutableBufferPointer { c in
        clippedMinimum(c.baseAddress!, norms.baseAddress!, points.squaredNorms[first], p.baseAddress!, c.baseAddress!, n)
      }
    }
  }
  for center in 1..<k {
    var running = 0.0
    for i in 0..<n {
      running += closest[i]
      cumulative[i] = running
    }
    var chosen = [Int](repeating: 0, count: trials)
    for t in 0..<trials {
      let target = uniform(&generator) * potential
      // The first index whose cumulative sum reaches the target (numpy's searchsorted, side "left").
      var low = 0
      var high = n
      while low < high {
        let middle = (low + high) / 2
        if cumulative[middle] < target { low = middle + 1 } else { high = middle }
      }
      chosen[t] = Swift.min(low, n - 1)
      for f in 0..<d { candidates[t * d + f] = points.data[chosen[t] * d + f] }
    }
    points.products(with: candidates, rows: trials, into: &products)
    var bestTrial = 0
    var bestPotential = Double.infinity
    points.squaredNorms.withUnsafeBufferPointer { norms in
      products.withUnsafeBufferPointer { p in
        closest.withUnsafeBufferPointer { c in
          distances.withUnsafeMutableBufferPointer { out in
            for t in 0..<trials {
              let value = clippedMinimum(
                c.baseAddress!, norms.baseAddress!, norms[chosen[t]], p.baseAddress! + t * n, out.baseAddress! + t * n, n)
              if value < bestPotential {
                bestPotential = value
                bestTrial = t
              }
            }
          }
        }
      }
    }
    potential = bestPotential
    closest.withUnsafeMutableBufferPointer { c in
      distances.withUnsafeBufferPointer { c.baseAddress!.update(from: $0.baseAddress! + bestTrial * n, count: n) }
    }
    for f in 0..<d { centers[center * d + f] = points.data[chosen[bestTrial] * d + f] }
  }
  return centers
}

/// For every point `i`, the center `j` minimizing `norms[j] - 2 products[j * n + i]` (the first
/// on a tie) as a Double in `choice`, and that minimum in `best`; four points at a time.
private func nearestCenters(
  _ products: UnsafePointer<Double>, _ norms: [Double], n: Int, k: Int, best: UnsafeMutablePointer<Double>,
  choice: UnsafeMutablePointer<Double>
) {
  var i = 0
  while i + 4 <= n {
    var minimum = norms[0] - 2 * UnsafeRawPointer(products + i).loadUnaligned(as: SIMD4<Double>.self)
    var index = SIMD4<Double>()
    for j in 1..<k {
      let score = norms[j] - 2 * UnsafeRawPointer(products + j * n + i).loadUnaligned(as: SIMD4<Double>.self)
      let better = score .< minimum
      minimum.replace(with: score, where: better)
      index.replace(with: Double(j), where: better)
    }
    UnsafeMutableRawPointer(best + i).storeBytes(of: minimum, as: SIMD4<Double>.self)
    UnsafeMutableRawPointer(choice + i).storeBytes(of: index, as: SIMD4<Double>.self)
    i += 4
  }
  while i < n {
    var minimum = norms[0] - 2 * products[i]
    var index = 0
    for j in 1..<k {
      let score = norms[j] - 2 * products[j * n + i]
      if score < minimum {
        minimum = score
        index = j
      }
    }
    best[i] = minimum
    choice[i] = Double(index)
    i += 1
  }
}

/// Lloyd's algorithm from given centers: assignments from one GEMM per iteration, means, an
/// empty cluster re-seeded with the point farthest from its center; stops when no label
/// changes or the squared center shift is at most `threshold`.
func lloyd(_ points: KMeansPoints, k: Int, centers start: [Double], maximumIterations: Int, threshold: Double) -> LloydRun {
  let (n, d) = (points.n, points.d)
  var centers = start
  var labels = [Int](repeating: -1, count: n)
  var distances = [Double](repeating: 0, count: n)
  var products = [Double](repeating: 0, count: k * n)
  var centerNorms = [Double](repeating: 0, count: k)
  var sums = [Double](repeating: 0, count: k * d)
  var counts = [Int](repeating: 0, count: k)
  var scores = [Double](repeating: 0, count: n)
  var choices = [Double](repeating: 0, count: n)

  /// Nearest centers by `argmin_j ||c_j||^2 - 2 x.c_j`; returns whether a label changed.
  func assign() -> Bool {
    for j in 0..<k {
      var sum = 0.0
      for f in 0..<d { sum += centers[j * d + f] * centers[j * d + f] }
      centerNorms[j] = sum
    }
    points.products(with: centers, rows: k, into: &products)
    var changed = false
    products.withUnsafeBufferPointer { p in
      scores.withUnsafeMutableBufferPointer { best in
        choices.withUnsafeMutableBufferPointer { choice in
          nearestCenters(p.baseAddress!, centerNorms, n: n, k: k, best: best.baseAddress!, choice: choice.baseAddress!)
        }
      }
    }
    for i in 0..<n {
      let label = Int(choices[i])
      if labels[i] != label { changed = true }
      labels[i] = label
      distances[i] = Swift.max(points.squaredNorms[i] + scores[i], 0)
    }
    return changed
  }

  _ = assign()
  var iterations = 0
  while iterations < maximumIterations {
    iterations += 1
    // M-step: means, an empty cluster taking the point farthest from its center.
    for index in sums.indices { sums[index] = 0 }
    for index in counts.indices { counts[index] = 0 }
    points.data.withUnsafeBufferPointer { x in
      for i in 0..<n {
        let target = labels[i] * d
        counts[labels[i]] += 1
        for f in 0..<d { sums[target + f] += x[i * d + f] }
      }
    }
    let empty = (0..<k).filter { counts[$0] == 0 }
    if !empty.isEmpty {
      let farthest = (0..<n).sorted { distances[$0] > distances[$1] || (distances[$0] == distances[$1] && $0 < $1) }
      var taken = 0
      for cluster in empty {
        // Take the next farthest point whose cluster keeps at least one member.
        while taken < n && counts[labels[farthest[taken]]] <= 1 { taken += 1 }
        guard taken < n else { break }
        let i = farthest[taken]
        taken += 1
        let old = labels[i]
        counts[old] -= 1
        for f in 0..<d { sums[old * d + f] -= points.data[i * d + f] }
        labels[i] = cluster
        counts[cluster] = 1
        for f in 0..<d { sums[cluster * d + f] = points.data[i * d + f] }
      }
    }
    var shift = 0.0
    for j in 0..<k where counts[j] > 0 {
      for f in 0..<d {
        let value = sums[j * d + f] / Double(counts[j])
        let e = value - centers[j * d + f]
        shift += e * e
        centers[j * d + f] = value
      }
    }
    if !assign() || shift <= threshold { break }
  }
  return LloydRun(labels: labels, centers: centers, inertia: points.inertia(labels: labels, centers: centers), iterations: iterations)
}
