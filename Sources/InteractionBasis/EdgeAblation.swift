import Autodiff
import Networks
import Tensors

/// Edge ablation of one section in one basis.
public struct EdgeAblationResult: Codable, Sendable {
  public var start: String
  public var end: String
  public var basis: BasisKind
  /// All edges of the section (k' x (k + 1), the constant node included).
  public var edges: Int
  /// Points evaluated, by edges kept.
  public var points: [AblationPoint]
  /// The fewest strongest edges within the tolerance of the unablated accuracy.
  public var edgesRequired: Int?
}

/// The section with only the strongest edges, evaluated as rib does: each output feature `i`
/// of the next layer is computed by running the section on the start features that feed it
/// through a kept edge, the others set to zero (their mean); when the constant node's edge
/// to `i` is not kept, the constant coordinate is 0, which removes the mean and every bias of
/// the section for that feature (the folded network is a function of features and constant
/// together). Output features are then mapped back to the next node layer's activation,
/// `f' = mu' + C'+^T f'^`, and the network runs on from there. Output features with the same
/// set of kept inputs share one run of the section.
enum EdgeAblation {
  /// Logits of the network whose section `start -> end` keeps only `mask[i][j]` edges.
  static func logits(
    _ inputs: Tensor<Double>, section: FoldedSection, start: LayerBasis, end: LayerBasis, mask: [[Bool]]
  ) throws -> Tensor<Double> {
    let network = section.network
    let batch = inputs.shape[0]
    let captured = try network.forward(
      Variable(inputs), options: ForwardOptions(capture: [section.start.site], stopSite: section.start.site))
    let f = captured.output.value.reshaped([-1, section.start.width])
    let features = start.features(f)
    let (k, kOut) = (start.size, end.size)
    var groups: [[Bool]: [Int]] = [:]
    for i in 0..<kOut { groups[mask[i], default: []].append(i) }
    let outRows = batch * section.end.positions
    var outFeatures = [Double](repeating: 0, count: outRows * kOut)
    for (inMask, outputs) in groups {
      let c: Double = inMask[0] ? 1 : 0
      let keep = Tensor((1...k).map { inMask[$0] ? 1.0 : 0.0 })
      let input = (features * keep).matmul(start.inverse) + start.mean * c
      let y = try section(Variable(input.reshaped([batch, section.start.positions, section.start.width])), constant: c)
      let yFeatures = (y.value.reshaped([-1, section.end.width]) - end.mean * c).matmul(end.basis)
      for i in outputs {
        for r in 0..<outRows { outFeatures[r * kOut + i] = yFeatures[flat: r * kOut + i] }
      }
    }
    let next = Tensor(shape: [outRows, kOut], scalars: outFeatures).matmul(end.inverse) + end.mean
    let nextInput = next.reshaped([batch] + section.end.shape)
    if section.end.site == "logits" { return nextInput }
    return try network.forward(Variable(nextInput), options: ForwardOptions(startSite: section.end.site)).output.value
  }

  /// The mask of the `count` strongest edges of `edges` (`[k', k + 1]`).
  static func strongest(_ count: Int, of edges: Tensor<Double>, order: [Int]) -> [[Bool]] {
    let (rows, columns) = (edges.shape[0], edges.shape[1])
    var mask = [[Bool]](repeating: [Bool](repeating: false, count: columns), count: rows)
    for e in order.prefix(count) { mask[e / columns][e % columns] = true }
    return mask
  }

  /// Edge indices (row-major) by strength, strongest first (ties by index).
  static func order(_ edges: Tensor<Double>) -> [Int] {
    let s = edges.scalars
    return s.indices.sorted { s[$0] != s[$1] ? s[$0] > s[$1] : $0 < $1 }
  }

  static func run(
    section: FoldedSection, start: LayerBasis, end: LayerBasis, edges: Tensor<Double>, scorer: AblationScorer,
    baseline: Double, tolerance: Double
  ) throws -> EdgeAblationResult {
    let order = order(edges)
    let total = edges.count
    let (required, points) = try AblationScorer.fewest(upper: total, baseline: baseline, tolerance: tolerance, grid: []) {
      count in
      let mask = strongest(count, of: edges, order: order)
      return try scorer.score(kept: count) { try logits($0, section: section, start: start, end: end, mask: mask) }
    }
    return EdgeAblationResult(
      start: section.start.site, end: section.end.site, basis: start.kind, edges: total, points: points,
      edgesRequired: required)
  }
}
