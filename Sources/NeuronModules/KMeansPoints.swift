/// The points of a k-means problem, shared read-only by all starts, with the distance kernels.
///
/// Besides the row-major `[n, d]` coordinates (for the means and the exact inertia), the points
/// are kept centered (the column means subtracted: distances do not change, and the expanded
/// form below loses less precision) and scaled by a power of two (the largest centered
/// coordinate in `[1, 2)`, so single precision neither overflows nor underflows; nearest
/// centers do not change), in single precision, transposed and padded to a multiple of 8
/// points (`[d, paddedCount]`), so that the kernels run over 8 contiguous points at a time.
/// Kernel distances are in these scaled units.
/// Distances are computed as scikit-learn computes them, `||x||^2 + ||c||^2 - 2 x.c` clipped at
/// 0, with the products of 8 points and 4 centers kept in registers (a small fused GEMM).
/// Single precision keeps 7 significant digits of each squared distance relative to the
/// squared norms of centered points; the kept run's inertia is recomputed in double precision.
struct KMeansPoints: Sendable {
  let n: Int
  let d: Int
  let data: [Double]
  /// The column means subtracted from the kernel coordinates.
  let mean: [Double]
  /// The power of two the centered kernel coordinates are multiplied by.
  let scale: Double
  let paddedCount: Int
  /// Centered and scaled coordinates, `[d, paddedCount]`, zero in the padding.
  let transposed: [Float]
  /// The squared norms of the single-precision kernel coordinates, zero for the padding.
  let squaredNorms: [Float]

  init(data: [Double], n: Int, d: Int) {
    self.n = n
    self.d = d
    self.data = data
    var mean = [Double](repeating: 0, count: d)
    for i in 0..<n {
      for f in 0..<d { mean[f] += data[i * d + f] }
    }
    for f in 0..<d { mean[f] /= Double(Swift.max(n, 1)) }
    self.mean = mean
    var largest = 0.0
    for i in 0..<n {
      for f in 0..<d { largest = Swift.max(largest, Swift.abs(data[i * d + f] - mean[f])) }
    }
    let scale = largest > 0 && largest.isFinite ? Double(sign: .plus, exponent: -largest.exponent, significand: 1) : 1
    self.scale = scale
    paddedCount = (n + 7) / 8 * 8
    var transposed = [Float](repeating: 0, count: d * paddedCount)
    var norms = [Float](repeating: 0, count: paddedCount)
    for i in 0..<n {
      var norm = 0.0
      for f in 0..<d {
        let value = Float((data[i * d + f] - mean[f]) * scale)
        transposed[f * paddedCount + i] = value
        norm += Double(value) * Double(value)
      }
      norms[i] = Float(norm)
    }
    self.transposed = transposed
    squaredNorms = norms
  }

  /// The mean over features of the population variance of each column.
  var meanVariance: Double {
    guard n > 0, d > 0 else { return 0 }
    var total = 0.0
    for f in 0..<d {
      var sum = 0.0
      for i in 0..<n {
        let e = data[i * d + f] - mean[f]
        sum += e * e
      }
      total += sum / Double(n)
    }
    return total / Double(d)
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

  /// Point `i`'s centered single-precision coordinates, written to `target[0..<d]`.
  func kernelCoordinates(of i: Int, into target: UnsafeMutablePointer<Float>) {
    for f in 0..<d { target[f] = transposed[f * paddedCount + i] }
  }

  /// Centers given in the original coordinates (`[count, d]` row-major), centered, scaled and
  /// rounded to single precision, with their squared norms.
  func kernelCenters(_ centers: [Double], count: Int, into target: inout [Float], norms: inout [Float]) {
    for j in 0..<count {
      var norm = 0.0
      for f in 0..<d {
        let value = Float((centers[j * d + f] - mean[f]) * scale)
        target[j * d + f] = value
        norm += Double(value) * Double(value)
      }
      norms[j] = Float(norm)
    }
  }

  /// Centers `[count, d]` (count a multiple of 4) as broadcast vectors in the order the product
  /// kernel reads them: for each block of 4 centers, for each feature, the 4 centers' values.
  private func splat(_ centers: UnsafePointer<Float>, count: Int) -> [SIMD8<Float>] {
    var result = [SIMD8<Float>](repeating: SIMD8(), count: count * d)
    for block in 0..<(count / 4) {
      for f in 0..<d {
        for t in 0..<4 { result[(block * d + f) * 4 + t] = SIMD8(repeating: centers[(block * 4 + t) * d + f]) }
      }
    }
    return result
  }

  /// The products of the 8 points at `i` with 4 centers given as ``splat(_:count:)`` vectors.
  @inline(__always)
  private func products(at i: Int, _ centers: UnsafePointer<SIMD8<Float>>, _ x: UnsafePointer<Float>)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)
  {
    var (p0, p1, p2, p3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var row = x + i
    var c = centers
    for _ in 0..<d {
      let v = UnsafeRawPointer(row).loadUnaligned(as: SIMD8<Float>.self)
      p0 += c[0] * v
      p1 += c[1] * v
      p2 += c[2] * v
      p3 += c[3] * v
      c += 4
      row += paddedCount
    }
    return (p0, p1, p2, p3)
  }

  /// For 4 candidate centers `t` (centered, `[4, d]`, squared norms `candidateNorms`):
  /// `out[t * paddedCount + i] = min(closest[i], d(x_i, c_t))` for every point, and each
  /// candidate's sum of them over the points (the padding must have `closest = 0`). With
  /// `rows = 1`, only the first candidate's distances are written (`out` holds one row).
  func candidateDistances(
    _ candidates: UnsafePointer<Float>, _ candidateNorms: SIMD4<Float>, closest: UnsafePointer<Float>,
    into out: UnsafeMutablePointer<Float>, rows: Int = 4
  ) -> SIMD4<Double> {
    let stride = paddedCount
    var totals = SIMD4<Double>()
    let zero = SIMD8<Float>()
    let splats = splat(candidates, count: 4)
    transposed.withUnsafeBufferPointer { x in
      squaredNorms.withUnsafeBufferPointer { norms in
        splats.withUnsafeBufferPointer { c in
          var i = 0
          while i < stride {
            // Partial sums in single precision over at most 256 points, then in double.
            var sums = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
            let end = Swift.min(stride, i + 256)
            while i < end {
              let (p0, p1, p2, p3) = products(at: i, c.baseAddress!, x.baseAddress!)
              let norm = UnsafeRawPointer(norms.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
              let near = UnsafeRawPointer(closest + i).loadUnaligned(as: SIMD8<Float>.self)
              @inline(__always) func finish(_ p: SIMD8<Float>, _ t: Int, _ sum: inout SIMD8<Float>) {
                var distance = norm + candidateNorms[t] - 2 * p
                distance.replace(with: zero, where: distance .< zero)
                distance.replace(with: near, where: near .< distance)
                UnsafeMutableRawPointer(out + t * stride + i).storeBytes(of: distance, as: SIMD8<Float>.self)
                sum += distance
              }
              finish(p0, 0, &sums.0)
              if rows == 4 {
                finish(p1, 1, &sums.1)
                finish(p2, 2, &sums.2)
                finish(p3, 3, &sums.3)
              }
              i += 8
            }
            totals += SIMD4(Double(sums.0.sum()), Double(sums.1.sum()), Double(sums.2.sum()), Double(sums.3.sum()))
          }
        }
      }
    }
    return totals
  }

  /// For every point, the nearest of `k` centers (centered, `[k, d]`, `k` a multiple of 4; the
  /// first on a tie) as a Float index in `choice`, and `min_j ||c_j||^2 - 2 x.c_j` in `best`.
  func nearestCenters(
    _ centers: UnsafePointer<Float>, norms: UnsafePointer<Float>, k: Int, best: UnsafeMutablePointer<Float>,
    choice: UnsafeMutablePointer<Float>
  ) {
    let splats = splat(centers, count: k)
    transposed.withUnsafeBufferPointer { x in
      splats.withUnsafeBufferPointer { c in
        var i = 0
        while i < paddedCount {
          var minimum = SIMD8<Float>(repeating: .infinity)
          var index = SIMD8<Float>()
          var block = 0
          while block < k {
            let (p0, p1, p2, p3) = products(at: i, c.baseAddress! + block * d, x.baseAddress!)
            @inline(__always) func consider(_ p: SIMD8<Float>, _ j: Int) {
              let score = norms[j] - 2 * p
              let better = score .< minimum
              minimum.replace(with: score, where: better)
              index.replace(with: Float(j), where: better)
            }
            consider(p0, block)
            consider(p1, block + 1)
            consider(p2, block + 2)
            consider(p3, block + 3)
            block += 4
          }
          UnsafeMutableRawPointer(best + i).storeBytes(of: minimum, as: SIMD8<Float>.self)
          UnsafeMutableRawPointer(choice + i).storeBytes(of: index, as: SIMD8<Float>.self)
          i += 8
        }
      }
    }
  }
}
