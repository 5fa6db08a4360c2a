extension NeuronGraph {
  /// The connected component of every node: `0..<c` for live nodes, numbered by first
  /// appearance in node order, and -1 for isolated nodes.
  ///
  /// Spectral clustering of a graph with `c >= k` components groups whole components
  /// (normalized cut 0); see ``spectralClustering(_:)``.
  public var componentLabels: [Int] {
    var labels = [Int](repeating: -1, count: nodes.count)
    var next = 0
    var stack: [Int] = []
    for start in liveNodes where labels[start] < 0 {
      labels[start] = next
      stack.append(start)
      while let i = stack.popLast() {
        for p in adjacency.rowStarts[i]..<adjacency.rowStarts[i + 1] {
          let j = adjacency.columnIndices[p]
          if labels[j] < 0 {
            labels[j] = next
            stack.append(j)
          }
        }
      }
      next += 1
    }
    return labels
  }

  /// The number of connected components among the live nodes.
  public var componentCount: Int { (componentLabels.max() ?? -1) + 1 }
}
