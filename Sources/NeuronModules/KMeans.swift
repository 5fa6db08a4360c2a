import Foundation
import Tensors

/// Options of ``KMeans``.
public struct KMeansOptions: Sendable, Hashable {
  /// The number of clusters.
  public var clusterCount: Int
  /// Independent k-means++ starts; the run with the lowest inertia is kept.
  public var initializations: Int
  /// Lloyd iterations per start.
  public var maximumIterations: Int
  /// A run also stops when the squared center shift is at most this fraction of the mean
  /// per-feature variance (scikit-learn's `tol`).
  public var tolerance: Double
  public var seed: UInt64

  public init(
    clusterCount: Int, initializations: Int = 25, maximumIterations: Int = 300, tolerance: Double = 1e-4, seed: UInt64 = 0
  ) {
    self.clusterCount = clusterCount
    self.initializations = initializations
    self.maximumIterations = maximumIterations
    self.tolerance = tolerance
    self.seed = seed
  }
}

/// k-means clustering of the rows of a matrix, as scikit-learn's `KMeans(init="k-means++",
/// algorithm="lloyd")`: greedy k-means++ seeding with `2 + floor(ln k)` candidate centers per
/// step, Lloyd iterations until the labels stop changing (or the centers move less than the
/// tolerance), an empty cluster re-seeded with the point farthest from its center, and the
/// best of several seeded starts.
///
/// Labels are renumbered by first appearance (the cluster of row 0 is 0, the next new cluster
/// met is 1, ...), so equal partitions get equal labels. With fewer distinct points than `k`,
/// some clusters stay empty (their labels unused), as in scikit-learn.
public struct KMeans: Sendable {
  /// The cluster of each row, `0..<k`.
  public let labels: [Int]
  /// `[k, d]` cluster means, in label order.
  public let centers: Tensor<Double>
  /// The sum of squared distances from rows to their centers.
  public let inertia: Double
  /// Lloyd iterations of the kept run.
  public let iterations: Int

  /// Clusters the rows of `points` (`[n, d]`).
  ///
  /// - Throws: ``NeuronModulesError`` if `k < 1`, `k > n`, an option is out of range or a
  ///   point is not finite.
  public init(points: Tensor<Double>, options: KMeansOptions) throws {
    guard points.rank == 2 else { throw NeuronModulesError.invalidShape("k-means needs [n, d] points, got \(points.shape)") }
    let (n, d, k) = (points.shape[0], points.shape[1], options.clusterCount)
    guard k >= 1, k <= n else { throw NeuronModulesError.invalidOption("cannot form \(k) clusters from \(n) points") }
    guard options.initializations >= 1, options.maximumIterations >= 1, options.tolerance >= 0 else {
      throw NeuronModulesError.invalidOption("k-means needs >= 1 initialization, >= 1 iteration and a tolerance >= 0")
    }
    guard points.isFinite else { throw NeuronModulesError.invalidShape("k-means points contain NaN or infinity") }
    let data = points.scalars
    let threshold = options.tolerance * meanVariance(data, n: n, d: d)
    var generator = SeededGenerator(seed: options.seed)
    var best: LloydRun? = nil
    for _ in 0..<options.initializations {
      var runGenerator = generator.split()
      let seeds = kMeansPlusPlus(data, n: n, d: d, k: k, using: &runGenerator)
      let run = lloyd(data, n: n, d: d, k: k, centers: seeds, maximumIterations: options.maximumIterations, threshold: threshold)
      if best == nil || run.inertia < best!.inertia { best = run }
    }
    let run = best!
    // Renumber by first appearance.
    var rename = [Int](repeating: -1, count: k)
    var next = 0
    for label in run.labels where rename[label] < 0 {
      rename[label] = next
      next += 1
    }
    for c in 0..<k where rename[c] < 0 {
      rename[c] = next
      next += 1
    }
    var centers = [Double](repeating: 0, count: k * d)
    for c in 0..<k {
      for j in 0..<d { centers[rename[c] * d + j] = run.centers[c * d + j] }
    }
    self.labels = run.labels.map { rename[$0] }
    self.centers = Tensor(shape: [k, d], scalars: centers)
    self.inertia = run.inertia
    self.iterations = run.iterations
  }
}

struct LloydRun {
  var labels: [Int]
  var centers: [Double]
  var inertia: Double
  var iterations: Int
}

/// The mean over features of the population variance of each column.
private func meanVariance(_ x: [Double], n: Int, d: Int) -> Double {
  guard n > 0, d > 0 else { return 0 }
  var total = 0.0
  for j in 0..<d {
    var mean = 0.0
    for i in 0..<n { mean += x[i * d + j] }
    mean /= Double(n)
    var sum = 0.0
    for i in 0..<n {
      let e = x[i * d + j] - mean
      sum += e * e
    }
    total += sum / Double(n)
  }
  return total / Double(d)
}

@inline(__always)
private func squaredDistance(_ x: UnsafeBufferPointer<Double>, _ i: Int, _ c: UnsafeBufferPointer<Double>, _ j: Int, _ d: Int)
  -> Double
{
  var sum = 0.0
  let (a, b) = (i * d, j * d)
  for f in 0..<d {
    let e = x[a + f] - c[b + f]
    sum += e * e
  }
  return sum
}

/// Greedy k-means++ (Arthur and Vassilvitskii 2007, with scikit-learn's local trials): the first
/// center uniformly at random; each next one the best, by resulting potential, of
/// `2 + floor(ln k)` candidates drawn with probability proportional to the squared distance
/// to the nearest chosen center.
func kMeansPlusPlus(_ data: [Double], n: Int, d: Int, k: Int, using generator: inout SeededGenerator) -> [Double] {
  let trials = 2 + Int(Foundation.log(Double(k)))
  var centers = [Double](repeating: 0, count: k * d)
  let first = generator.nextInt(below: n)
  for f in 0..<d { centers[f] = data[first * d + f] }
  return data.withUnsafeBufferPointer { x in
    var closest = [Double](repeating: 0, count: n)
    centers.withUnsafeBufferPointer { c in
      for i in 0..<n { closest[i] = squaredDistance(x, i, c, 0, d) }
    }
    var potential = closest.reduce(0, +)
    var cumulative = [Double](repeating: 0, count: n)
    var candidateDistances = [Double](repeating: 0, count: n)
    var bestDistances = [Double](repeating: 0, count: n)
    for center in 1..<k {
      var running = 0.0
      for i in 0..<n {
        running += closest[i]
        cumulative[i] = running
      }
      var bestPotential = Double.infinity
      var bestCandidate = 0
      for _ in 0..<trials {
        let target = generator.nextUniform(as: Double.self) * potential
        // The first index whose cumulative sum reaches the target (numpy's searchsorted, side "left").
        var low = 0
        var high = n
        while low < high {
          let middle = (low + high) / 2
          if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        let candidate = Swift.min(low, n - 1)
        var candidatePotential = 0.0
        for i in 0..<n {
          var sum = 0.0
          for f in 0..<d {
            let e = x[i * d + f] - x[candidate * d + f]
            sum += e * e
          }
          let value = Swift.min(closest[i], sum)
          candidateDistances[i] = value
          candidatePotential += value
        }
        if candidatePotential < bestPotential {
          bestPotential = candidatePotential
          bestCandidate = candidate
          swap(&bestDistances, &candidateDistances)
        }
      }
      potential = bestPotential
      swap(&closest, &bestDistances)
      for f in 0..<d { centers[center * d + f] = x[bestCandidate * d + f] }
    }
    return centers
  }
}

/// Lloyd's algorithm from given centers.
func lloyd(_ data: [Double], n: Int, d: Int, k: Int, centers start: [Double], maximumIterations: Int, threshold: Double)
  -> LloydRun
{
  let points = Tensor(shape: [n, d], scalars: data)
  var centers = start
  var labels = [Int](repeating: -1, count: n)
  var distances = [Double](repeating: 0, count: n)
  var sums = [Double](repeating: 0, count: k * d)
  var counts = [Int](repeating: 0, count: k)
  var norms = [Double](repeating: 0, count: k)
  var iterations = 0
  data.withUnsafeBufferPointer { xBuffer in
    labels.withUnsafeMutableBufferPointer { labelBuffer in
      distances.withUnsafeMutableBufferPointer { distanceBuffer in
        let x = xBuffer.baseAddress!
        let label = labelBuffer.baseAddress!
        let distance = distanceBuffer.baseAddress!
        /// Nearest centers by `argmin_j ||c_j||^2 - 2 x.c_j` from one BLAS product (as
        /// scikit-learn's Lloyd iteration), then the exact squared distance to the chosen one.
        func assign() -> Bool {
          var changed = false
          let products = points.matmul(Tensor(shape: [k, d], scalars: centers), transposeOther: true)
          centers.withUnsafeBufferPointer { cBuffer in
            let c = cBuffer.baseAddress!
            for j in 0..<k {
              var sum = 0.0
              for f in 0..<d { sum += c[j * d + f] * c[j * d + f] }
              norms[j] = sum
            }
            products.scalars.withUnsafeBufferPointer { dotBuffer in
              norms.withUnsafeBufferPointer { normBuffer in
                let dot = dotBuffer.baseAddress!
                let norm = normBuffer.baseAddress!
                for i in 0..<n {
                  let row = dot + i * k
                  var best = 0
                  var bestScore = norm[0] - 2 * row[0]
                  var j = 1
                  while j < k {
                    let score = norm[j] - 2 * row[j]
                    if score < bestScore {
                      bestScore = score
                      best = j
                    }
                    j += 1
                  }
                  if label[i] != best { changed = true }
                  label[i] = best
                  let point = x + i * d
                  let center = c + best * d
                  var squared = 0.0
                  for f in 0..<d {
                    let e = point[f] - center[f]
                    squared += e * e
                  }
                  distance[i] = squared
                }
              }
            }
          }
          return changed
        }
        _ = assign()
        while iterations < maximumIterations {
          iterations += 1
          // M-step: means, an empty cluster taking the point farthest from its center.
          sums.withUnsafeMutableBufferPointer { sumBuffer in
            counts.withUnsafeMutableBufferPointer { countBuffer in
              let sum = sumBuffer.baseAddress!
              let count = countBuffer.baseAddress!
              sum.update(repeating: 0, count: k * d)
              count.update(repeating: 0, count: k)
              for i in 0..<n {
                let target = sum + label[i] * d
                let point = x + i * d
                count[label[i]] += 1
                for f in 0..<d { target[f] += point[f] }
              }
            }
          }
          let empty = (0..<k).filter { counts[$0] == 0 }
          if !empty.isEmpty {
            let farthest = (0..<n).sorted { distance[$0] > distance[$1] || (distance[$0] == distance[$1] && $0 < $1) }
            var taken = 0
            for cluster in empty {
              // Take the next farthest point whose cluster keeps at least one member.
              while taken < n && counts[label[farthest[taken]]] <= 1 { taken += 1 }
              guard taken < n else { break }
              let i = farthest[taken]
              taken += 1
              let old = label[i]
              counts[old] -= 1
              for f in 0..<d { sums[old * d + f] -= x[i * d + f] }
              label[i] = cluster
              counts[cluster] = 1
              for f in 0..<d { sums[cluster * d + f] = x[i * d + f] }
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
      }
    }
  }
  let inertia = distances.reduce(0, +)
  return LloydRun(labels: labels, centers: centers, inertia: inertia, iterations: iterations)
}
