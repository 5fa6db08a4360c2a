import Foundation
import Tensors

/// The outcome of one k-means start.
struct LloydRun: Sendable {
  var labels: [Int]
  var centers: [Double]
  /// The sum of the kernel's (single-precision, scaled) squared distances to the final centers:
  /// comparable between starts on the same points.
  var inertia: Double
  var iterations: Int
}

/// A uniform double in `[0, 1)` from the top 53 bits, as `SeededGenerator.nextUniform(as: Double.self)`.
@inline(__always)
private func uniform(_ generator: inout SeededGenerator) -> Double {
  Double(generator.next() >> 11) * 0x1p-53
}

/// Greedy k-means++ (Arthur and Vassilvitskii 2007, with scikit-learn's local trials): the first
/// center uniformly at random; each next one the best, by resulting potential, of
/// `2 + floor(ln k)` candidates drawn with probability proportional to the squared distance
/// to the nearest chosen center (the first best on a tie).
///
/// Returns the centers (original coordinates, `[k, d]`) and, for the first Lloyd step, each
/// point's nearest center (the first chosen on a tie) and squared distance to it.
func kMeansPlusPlus(_ points: KMeansPoints, k: Int, using generator: inout SeededGenerator) -> (
  centers: [Double], labels: [Int], distances: [Float]
) {
  let (n, d, stride) = (points.n, points.d, points.paddedCount)
  let trials = 2 + Int(Foundation.log(Double(k)))
  var centers = [Double](repeating: 0, count: k * d)
  var labels = [Int32](repeating: 0, count: stride)
  // The padding stays at distance 0, so it never adds to a potential or gets drawn.
  var closest = [Float](repeating: 0, count: stride)
  var bestDistances = [Float](repeating: 0, count: stride)
  var distances = [Float](repeating: 0, count: 4 * stride)
  let blockCount = (stride + 63) / 64
  var cumulative = [Double](repeating: 0, count: blockCount)
  var candidates = [Float](repeating: 0, count: 4 * d)
  var chosen = [Int](repeating: 0, count: trials)
  let first = generator.nextInt(below: n)
  for f in 0..<d { centers[f] = points.data[first * d + f] }
  // Distances to the first center: the candidate kernel with 4 copies of it and no bound yet.
  for i in 0..<n { bestDistances[i] = .infinity }
  candidates.withUnsafeMutableBufferPointer { target in
    for slot in 0..<4 { points.kernelCoordinates(of: first, into: target.baseAddress! + slot * d) }
  }
  _ = candidates.withUnsafeBufferPointer { c in
    bestDistances.withUnsafeBufferPointer { near in
      closest.withUnsafeMutableBufferPointer { out in
        points.candidateDistances(
          c.baseAddress!, SIMD4(repeating: points.squaredNorms[first]), closest: near.baseAddress!, into: out.baseAddress!,
          rows: 1)
      }
    }
  }
  for center in 1..<k {
    // Cumulative sums of blocks of 64 distances (the sums within a block are independent, so
    // they vectorize); a draw finds its block, then its point inside the block.
    var running = 0.0
    closest.withUnsafeBufferPointer { near in
      for block in 0..<blockCount {
        var sum = SIMD8<Float>()
        var i = block * 64
        while i < Swift.min(stride, block * 64 + 64) {
          sum += UnsafeRawPointer(near.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
          i += 8
        }
        running += Double(sum.sum())
        cumulative[block] = running
      }
    }
    let potential = running
    for t in 0..<trials {
      let target = uniform(&generator) * potential
      // The first index whose cumulative sum reaches the target (numpy's searchsorted, side "left").
      var low = 0
      var high = blockCount
      while low < high {
        let middle = (low + high) / 2
        if cumulative[middle] < target { low = middle + 1 } else { high = middle }
      }
      var point = n - 1
      if low < blockCount {
        var sum = low > 0 ? cumulative[low - 1] : 0
        for i in (low * 64)..<Swift.min(n, low * 64 + 64) {
          sum += Double(closest[i])
          if sum >= target {
            point = i
            break
          }
        }
      }
      chosen[t] = point
    }
    // Candidates in groups of 4 (the last group padded with repeats).
    var bestTrial = 0
    var bestPotential = Double.infinity
    var group = 0
    while group < trials {
      var norms = SIMD4<Float>()
      candidates.withUnsafeMutableBufferPointer { target in
        for slot in 0..<4 {
          let point = chosen[Swift.min(group + slot, trials - 1)]
          points.kernelCoordinates(of: point, into: target.baseAddress! + slot * d)
          norms[slot] = points.squaredNorms[point]
        }
      }
      let sums = candidates.withUnsafeBufferPointer { c in
        closest.withUnsafeBufferPointer { near in
          distances.withUnsafeMutableBufferPointer { out in
            points.candidateDistances(c.baseAddress!, norms, closest: near.baseAddress!, into: out.baseAddress!)
          }
        }
      }
      var slotWon = -1
      for slot in 0..<Swift.min(4, trials - group) where sums[slot] < bestPotential {
        bestPotential = sums[slot]
        bestTrial = group + slot
        slotWon = slot
      }
      if slotWon >= 0 {
        bestDistances.withUnsafeMutableBufferPointer { target in
          distances.withUnsafeBufferPointer {
            target.baseAddress!.update(from: $0.baseAddress! + slotWon * stride, count: stride)
          }
        }
      }
      group += 4
    }
    // Points that moved closer now belong to the new center.
    labels.withUnsafeMutableBufferPointer { label in
      closest.withUnsafeBufferPointer { old in
        bestDistances.withUnsafeBufferPointer { new in
          let value = SIMD8<Int32>(repeating: Int32(center))
          var i = 0
          while i < stride {
            let closer =
              UnsafeRawPointer(new.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
              .< UnsafeRawPointer(old.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
            var current = UnsafeRawPointer(label.baseAddress! + i).loadUnaligned(as: SIMD8<Int32>.self)
            current.replace(with: value, where: closer)
            UnsafeMutableRawPointer(label.baseAddress! + i).storeBytes(of: current, as: SIMD8<Int32>.self)
            i += 8
          }
        }
      }
    }
    swap(&closest, &bestDistances)
    for f in 0..<d { centers[center * d + f] = points.data[chosen[bestTrial] * d + f] }
  }
  return (centers, labels[0..<n].map { Int($0) }, Array(closest[0..<n]))
}

/// Lloyd's algorithm from given centers and the points' nearest centers among them:
/// means, an empty cluster re-seeded with the point farthest from its center, assignments from
/// the fused distance kernel; stops when no label changes or the squared center shift is at
/// most `threshold`.
func lloyd(
  _ points: KMeansPoints, k: Int, centers start: [Double], labels initial: [Int], distances initialDistances: [Float],
  maximumIterations: Int, threshold: Double
) -> LloydRun {
  let (n, d) = (points.n, points.d)
  let paddedK = (k + 3) / 4 * 4
  var centers = start
  var labels = initial
  var distances = initialDistances
  var kernelCenters = [Float](repeating: 0, count: paddedK * d)
  var centerNorms = [Float](repeating: 0, count: paddedK)
  var sums = [Double](repeating: 0, count: k * d)
  var counts = [Int](repeating: 0, count: k)
  var scores = [Float](repeating: 0, count: points.paddedCount)
  var choices = [Float](repeating: 0, count: points.paddedCount)

  /// Nearest centers by `argmin_j ||c_j||^2 - 2 x.c_j`; returns whether a label changed.
  func assign() -> Bool {
    points.kernelCenters(centers, count: k, into: &kernelCenters, norms: &centerNorms)
    // Repeats of the last center pad the blocks of 4; they never win a strict comparison.
    for j in k..<paddedK {
      for f in 0..<d { kernelCenters[j * d + f] = kernelCenters[(k - 1) * d + f] }
      centerNorms[j] = centerNorms[k - 1]
    }
    kernelCenters.withUnsafeBufferPointer { c in
      centerNorms.withUnsafeBufferPointer { norms in
        scores.withUnsafeMutableBufferPointer { best in
          choices.withUnsafeMutableBufferPointer { choice in
            points.nearestCenters(
              c.baseAddress!, norms: norms.baseAddress!, k: paddedK, best: best.baseAddress!, choice: choice.baseAddress!)
          }
        }
      }
    }
    var changed = false
    for i in 0..<n {
      let label = Int(choices[i])
      if labels[i] != label { changed = true }
      labels[i] = label
      distances[i] = Swift.max(points.squaredNorms[i] + scores[i], 0)
    }
    return changed
  }

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
  var inertia = 0.0
  for i in 0..<n { inertia += Double(distances[i]) }
  return LloydRun(labels: labels, centers: centers, inertia: inertia, iterations: iterations)
}
