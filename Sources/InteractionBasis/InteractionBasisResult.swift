import Tensors

/// One node layer's bases: sizes after each truncation and the spectra D and Lambda.
public struct LayerBasisSummary: Codable, Sendable {
  public var site: String
  /// The site's per-sample shape, its positions P and width n.
  public var shape: [Int]
  public var positions: Int
  public var width: Int
  /// The eigenvalues D of the centred Gram matrix, descending (empty for the output layer).
  public var gramEigenvalues: [Double]
  /// Directions kept after the first truncation (D above the threshold); also the PCA size.
  public var sizeAfterGram: Int
  /// The eigenvalues Lambda of M in whitened coordinates, descending (LIB only).
  public var lambda: [Double]?
  /// LIB features kept after the second truncation (Lambda above the threshold).
  public var libSize: Int?
  /// `Lambda_0`, the constant feature's metric (LIB only).
  public var constantLambda: Double?
}

/// One edge of the interaction graph.
public struct InteractionEdge: Codable, Sendable, Hashable {
  /// The feature of the later node layer (0-based, non-constant features).
  public var output: Int
  /// The feature of the earlier node layer: 0 is the constant node, j + 1 feature j.
  public var input: Int
  public var strength: Double
}

/// The interaction graph of one section in one basis.
public struct SectionEdgesSummary: Codable, Sendable {
  public var start: String
  public var end: String
  public var basis: BasisKind
  /// `[k', k + 1]`: output features by input features (column 0 the constant node).
  public var shape: [Int]
  /// The sum of all edge strengths, and of the constant node's edges.
  public var total: Double
  public var constantTotal: Double
  /// The fewest strongest edges that hold 99% of the total strength.
  public var edgesFor99Percent: Int
  /// The strongest edges (up to 200), strongest first; the dense matrix is in the run.
  public var strongest: [InteractionEdge]
}

/// The results of a Local Interaction Basis analysis (everything but the matrices).
public struct InteractionBasisResult: Codable, Sendable {
  public var nodeLayers: [NodeLayer]
  public var options: InteractionBasisOptions
  /// Inputs the bases and edges were computed on.
  public var samples: Int
  public var layers: [LayerBasisSummary]
  public var edges: [SectionEdgesSummary]
  /// The unablated network on the ablation data.
  public var baseline: AblationPoint?
  public var nodeAblations: [NodeAblationCurve]
  public var edgeAblations: [EdgeAblationResult]
  public var fourier: [FourierFeature]
  /// Seconds per stage ("statistics", "lib basis", "lib edges", "pca edges", ...).
  public var seconds: [String: Double]
}

/// A finished analysis: the summary plus the bases and dense edge matrices.
public struct InteractionBasisRun: Sendable {
  public var result: InteractionBasisResult
  /// Per basis kind, one ``LayerBasis`` per node layer (the last one the identity).
  public var bases: [BasisKind: [LayerBasis]]
  /// Per basis kind, one `[k', k + 1]` edge matrix per section.
  public var edges: [BasisKind: [Tensor<Double>]]
}

extension SectionEdgesSummary {
  init(start: String, end: String, basis: BasisKind, edges: Tensor<Double>) {
    let order = EdgeAblation.order(edges)
    let s = edges.scalars
    let total = s.reduce(0, +)
    var cumulative = 0.0
    var count = 0
    for e in order {
      if cumulative >= 0.99 * total { break }
      cumulative += s[e]
      count += 1
    }
    let columns = edges.shape[1]
    self.init(
      start: start, end: end, basis: basis, shape: edges.shape, total: total,
      constantTotal: (0..<edges.shape[0]).reduce(0) { $0 + s[$1 * columns] }, edgesFor99Percent: count,
      strongest: order.prefix(200).map { InteractionEdge(output: $0 / columns, input: $0 % columns, strength: s[$0]) })
  }
}
