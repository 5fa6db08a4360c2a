/// Pairwise distance matrices `C` computed from Gram matrices.
enum PairwiseDistances {
  /// The `n x n` distances between the rows of `representation`, with an exactly zero
  /// diagonal and exact symmetry.
  ///
  /// Euclidean distances use `||x_i||^2 + ||x_k||^2 - 2 <x_i, x_k>` (clamped at 0) from one
  /// GEMM; the squared norms are read from the Gram diagonal so that rounding is consistent.
  static func compute(_ representation: RepresentationMatrix, metric: DistanceMetric, layer: String) throws -> [Double] {
    let n = representation.rows
    var c = representation.gram()
    var norms = [Double](repeating: 0, count: n)
    for i in 0..<n { norms[i] = c[i * n + i] }
    if metric == .cosine {
      for i in 0..<n where !(norms[i] > 0) { throw LayerSimilarityError.zeroVector(layer: layer, sample: i) }
      for i in 0..<n { norms[i] = norms[i].squareRoot() }
    }
    c.withUnsafeMutableBufferPointer { g in
      norms.withUnsafeBufferPointer { s in
        for i in 0..<n {
          let row = i * n
          for k in 0..<n {
            let value: Double
            switch metric {
            case .euclidean: value = Swift.max(0, s[i] + s[k] - 2 * g[row + k]).squareRoot()
            case .squaredEuclidean: value = Swift.max(0, s[i] + s[k] - 2 * g[row + k])
            case .cosine: value = Swift.min(2, Swift.max(0, 1 - g[row + k] / (s[i] * s[k])))
            }
            g[row + k] = value
          }
          g[row + i] = 0
        }
      }
    }
    for i in 0..<n {
      for k in 0..<n where !c[i * n + k].isFinite {
        throw LayerSimilarityError.invalidDistances(
          layer: layer, reason: "the distance between samples \(i) and \(k) overflows Double")
      }
    }
    return c
  }

  /// Divides `distances` by their mean or maximum; returns the divisor (1 for `.none`).
  ///
  /// - Throws: ``LayerSimilarityError/degenerateSpace(layer:)`` when every distance is zero and
  ///   a normalization other than `.none` is requested.
  static func normalize(_ distances: inout [Double], by normalization: DistanceNormalization, layer: String) throws
    -> Double
  {
    let scale: Double
    switch normalization {
    case .none: return 1
    case .mean: scale = distances.reduce(0, +) / Double(distances.count)
    case .max: scale = distances.max() ?? 0
    }
    guard scale > 0, scale.isFinite else { throw LayerSimilarityError.degenerateSpace(layer: layer) }
    for index in distances.indices { distances[index] /= scale }
    return scale
  }
}
