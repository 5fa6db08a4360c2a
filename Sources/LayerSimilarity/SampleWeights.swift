import Tensors

/// Validation of sample weights `p`.
enum SampleWeights {
  /// The tolerance on `|sum(p) - 1|`.
  static let sumTolerance = 1e-9

  /// `weights` checked to be `count` non-negative finite values summing to 1 within `1e-9`, or
  /// uniform weights `1/count` when `nil`; also whether they are all equal.
  static func validated(_ weights: Tensor<Double>?, count: Int, layer: String) throws -> (values: [Double], uniform: Bool) {
    guard let weights else { return ([Double](repeating: 1 / Double(count), count: count), true) }
    guard weights.rank == 1, weights.count == count else {
      throw LayerSimilarityError.invalidWeights(
        layer: layer, reason: "expected \(count) weights, got shape \(weights.shape)")
    }
    let p = weights.scalars
    for (i, w) in p.enumerated() {
      guard w.isFinite else { throw LayerSimilarityError.invalidWeights(layer: layer, reason: "weight \(i) is \(w)") }
      guard w >= 0 else { throw LayerSimilarityError.invalidWeights(layer: layer, reason: "weight \(i) is negative (\(w))") }
    }
    let sum = p.reduce(0, +)
    guard Swift.abs(sum - 1) <= sumTolerance else {
      throw LayerSimilarityError.invalidWeights(layer: layer, reason: "weights sum to \(sum), not 1")
    }
    let uniform = p.allSatisfy { Swift.abs($0 - p[0]) <= 1e-15 }
    return (p, uniform)
  }
}
