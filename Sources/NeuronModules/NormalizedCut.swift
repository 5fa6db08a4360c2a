/// One cluster's share of a normalized cut.
public struct NormalizedCutTerm: Sendable, Hashable {
  public var label: Int
  /// The total weight of edges from the cluster to nodes outside it.
  public var cut: Double
  /// The cluster's volume: the sum of its nodes' degrees.
  public var volume: Double
  /// `cut / volume` (0 for a cluster of volume 0).
  public var value: Double { volume > 0 ? cut / volume : 0 }
}

extension SymmetricSparseMatrix {
  /// The per-cluster terms of the normalized cut of a labelling, in increasing label order.
  ///
  /// Nodes labelled `< 0` belong to no cluster: an edge from a cluster to such a node counts
  /// in the cluster's cut and volume (isolated nodes, labelled -1, have no edges).
  ///
  /// - Throws: ``NeuronModulesError/labelCount(expected:found:)`` if there is not one label per row.
  public func normalizedCutTerms(labels: [Int]) throws -> [NormalizedCutTerm] {
    guard labels.count == order else { throw NeuronModulesError.labelCount(expected: order, found: labels.count) }
    var cut: [Int: Double] = [:]
    var volume: [Int: Double] = [:]
    for label in labels where label >= 0 {
      cut[label] = 0
      volume[label] = 0
    }
    for i in 0..<order where labels[i] >= 0 {
      let label = labels[i]
      var rowCut = 0.0
      var rowVolume = 0.0
      for p in rowStarts[i]..<rowStarts[i + 1] {
        let value = values[p]
        rowVolume += value
        if labels[columnIndices[p]] != label { rowCut += value }
      }
      cut[label]! += rowCut
      volume[label]! += rowVolume
    }
    return cut.keys.sorted().map { NormalizedCutTerm(label: $0, cut: cut[$0]!, volume: volume[$0]!) }
  }

  /// The normalized cut of a labelling: `sum over clusters c of cut(c, rest) / vol(c)`, between
  /// 0 (no edge leaves any cluster) and the number of clusters; lower means more clusterable.
  public func normalizedCut(labels: [Int]) throws -> Double {
    try normalizedCutTerms(labels: labels).reduce(0) { $0 + $1.value }
  }
}

extension NeuronGraph {
  /// The normalized cut of labels over all ``nodes`` (isolated nodes labelled -1); see
  /// ``SymmetricSparseMatrix/normalizedCut(labels:)``.
  public func normalizedCut(labels: [Int]) throws -> Double {
    try adjacency.normalizedCut(labels: labels)
  }
}
