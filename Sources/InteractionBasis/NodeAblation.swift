import Autodiff
import Networks
import Tensors

/// Node ablation of one node layer in one basis: keep the top `m` features (by Lambda or D),
/// replace the others by their mean (zero in centred features), and score the network.
public struct NodeAblationCurve: Codable, Sendable {
  public var site: String
  public var basis: BasisKind
  /// The features available (k).
  public var size: Int
  /// Points evaluated, by directions kept.
  public var points: [AblationPoint]
  /// The fewest directions within the tolerance of the unablated accuracy.
  public var fewestWithinTolerance: Int?
}

enum NodeAblation {
  /// The intervention `f -> mu + (f - mu) C_m C+_m` keeping the first `m` features.
  static func keeping(_ m: Int, of basis: LayerBasis) -> Intervention<Double> {
    let n = basis.layer.width
    let c = basis.basis.slice(axis: 1, 0..<m)
    let inverse = basis.inverse.slice(axis: 0, 0..<m)
    let projector = m == 0 ? Tensor<Double>.zeros([n, n]) : c.matmul(inverse)
    let mean = Variable(basis.mean)
    return Intervention { x in
      let flat = x.reshaped([-1, n])
      return ((flat - mean).matmul(Variable(projector)) + mean).reshaped(x.shape)
    }
  }

  static func run(_ basis: LayerBasis, scorer: AblationScorer, baseline: Double, tolerance: Double) throws
    -> NodeAblationCurve
  {
    let site = basis.layer.site
    let (fewest, points) = try AblationScorer.fewest(
      upper: basis.size, baseline: baseline, tolerance: tolerance, grid: AblationScorer.grid(upper: basis.size)
    ) { m in
      let options = ForwardOptions(interventions: [site: keeping(m, of: basis)])
      return try scorer.score(kept: m) { try scorer.network.forward(Variable($0), options: options).output.value }
    }
    return NodeAblationCurve(site: site, basis: basis.kind, size: basis.size, points: points, fewestWithinTolerance: fewest)
  }
}
