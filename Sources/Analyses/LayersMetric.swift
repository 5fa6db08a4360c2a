import LayerSimilarity

/// The distance inside a layer's representation (`--metric`).
public enum LayersMetric: String, CaseIterable, Codable, Sendable {
  case euclidean, cosine, sqeuclidean
  public var distance: DistanceMetric {
    switch self {
    case .euclidean: .euclidean
    case .cosine: .cosine
    case .sqeuclidean: .squaredEuclidean
    }
  }
}
