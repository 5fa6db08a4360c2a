import Autodiff
import Networks
import Tensors

/// Labelled data to score ablations on: inputs and labels (one per sample for a classifier,
/// one per position for a language model), evaluated in float64.
public struct AblationData: Sendable {
  /// Inputs `[N, ...]`.
  public var inputs: Tensor<Double>
  /// Labels, `N` or `N * T`.
  public var labels: [Int]
  /// The number of classes (the width of the logits' last axis).
  public var classes: Int

  public init(inputs: Tensor<Double>, labels: [Int], classes: Int) {
    self.inputs = inputs
    self.labels = labels
    self.classes = classes
  }

  public init<Scalar>(_ data: LabeledData<Scalar>) {
    self.init(inputs: data.inputs.converted(to: Double.self), labels: data.labels, classes: data.classes)
  }

  var count: Int { inputs.shape[0] }
}

/// Accuracy and loss of one ablated network.
public struct AblationPoint: Codable, Sendable, Hashable {
  /// Directions (node ablation) or edges (edge ablation) kept.
  public var kept: Int
  public var accuracy: Double
  public var loss: Double
}

/// Scores networks on ``AblationData`` in batches.
struct AblationScorer: Sendable {
  let network: Network<Double>
  let data: AblationData
  let batchSize: Int

  /// Accuracy and loss with `logits(batchInputs)` computing each batch's logits.
  func score(kept: Int, _ logits: (Tensor<Double>) throws -> Tensor<Double>) throws -> AblationPoint {
    var parts: [Tensor<Double>] = []
    var start = 0
    while start < data.count {
      let end = Swift.min(data.count, start + batchSize)
      parts.append(try logits(data.inputs.slice(axis: 0, start..<end)))
      start = end
    }
    let all = parts.count == 1 ? parts[0] : Tensor.concatenate(parts, axis: 0)
    guard all.isFinite else { throw InteractionBasisError.nonFinite("logits of an ablated network (\(kept) kept)") }
    let metrics = EvaluationMetrics(logits: all.reshaped([-1, data.classes]), labels: data.labels, classes: data.classes)
    return AblationPoint(kept: kept, accuracy: metrics.accuracy, loss: metrics.loss)
  }

  /// The unablated network's score.
  func baseline() throws -> AblationPoint {
    try score(kept: -1) { try network.forward(Variable($0)).output.value }
  }

  /// The fewest `m` in `0...upper` whose accuracy is within `tolerance` of `baseline`, by a
  /// grid of `m` values and then bisection between the last failing and the first passing
  /// grid point (accuracy is taken as monotone there). Returns the points evaluated, sorted.
  static func fewest(
    upper: Int, baseline: Double, tolerance: Double, grid: [Int], evaluate: (Int) throws -> AblationPoint
  ) throws -> (fewest: Int?, points: [AblationPoint]) {
    var points: [Int: AblationPoint] = [:]
    func at(_ m: Int) throws -> AblationPoint {
      if let p = points[m] { return p }
      let p = try evaluate(m)
      points[m] = p
      return p
    }
    func passes(_ m: Int) throws -> Bool { try at(m).accuracy >= baseline - tolerance - 1e-12 }
    let values = Array(Set(grid.filter { $0 >= 0 && $0 <= upper } + [0, upper])).sorted()
    var fewest: Int? = nil
    var previous = -1
    for m in values {
      if try passes(m) {
        var (lo, hi) = (previous, m)  // lo fails (or is -1), hi passes
        while hi - lo > 1 {
          let mid = (lo + hi) / 2
          if try passes(mid) { hi = mid } else { lo = mid }
        }
        fewest = hi
        break
      }
      previous = m
    }
    for m in values where points[m] == nil { _ = try at(m) }
    return (fewest, points.values.sorted { $0.kept < $1.kept })
  }

  /// A grid of about 1, 2, 3, 4, 6, 8, 12, 16, ... up to `upper`.
  static func grid(upper: Int) -> [Int] {
    var values: [Int] = [0]
    var v = 1
    while v < upper {
      values.append(v)
      values.append(v + v / 2)
      v *= 2
    }
    return values.filter { $0 <= upper } + [upper]
  }
}
