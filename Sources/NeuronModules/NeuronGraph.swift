import Tensors

/// A weighted undirected graph of neurons: nodes are units of a network (or any items), edge
/// weights are nonnegative and symmetric.
///
/// Isolated nodes (zero degree: dead or fully pruned units) cannot be placed by spectral
/// clustering, so the graph keeps them in ``nodes`` and ``adjacency`` but clusters only the
/// ``liveNodes``; every per-node result (labels) is reported over all ``nodes``, with `-1`
/// for an isolated node.
public struct NeuronGraph: Sendable {
  /// Every node, in adjacency order.
  public let nodes: [NeuronNode]
  /// The adjacency over all ``nodes``.
  public let adjacency: SymmetricSparseMatrix
  /// Indices into ``nodes`` of the nodes with a nonzero degree, increasing.
  public let liveNodes: [Int]
  /// The adjacency restricted to ``liveNodes`` (row `r` is node `liveNodes[r]`).
  public let liveAdjacency: SymmetricSparseMatrix

  /// A graph from an adjacency matrix and optional node descriptions.
  ///
  /// - Parameter nodes: one per row; nil names them `(layer 0, unit i, "node")`.
  /// - Throws: ``NeuronModulesError/invalidShape(_:)`` if `nodes` has the wrong length.
  public init(adjacency: SymmetricSparseMatrix, nodes: [NeuronNode]? = nil) throws {
    let nodes = nodes ?? (0..<adjacency.order).map { NeuronNode(layer: 0, unit: $0, layerName: "node") }
    guard nodes.count == adjacency.order else {
      throw NeuronModulesError.invalidShape("\(nodes.count) node descriptions for an adjacency of order \(adjacency.order)")
    }
    self.nodes = nodes
    self.adjacency = adjacency
    let live = (0..<adjacency.order).filter { adjacency.rowStarts[$0 + 1] > adjacency.rowStarts[$0] }
    self.liveNodes = live
    self.liveAdjacency = live.count == adjacency.order ? adjacency : adjacency.restricted(to: live)
  }

  /// A graph from a dense symmetric `[n, n]` adjacency matrix (diagonal ignored).
  ///
  /// - Throws: ``NeuronModulesError`` for a non-square, NaN, negative or asymmetric matrix.
  public init(denseAdjacency: Tensor<Double>, nodes: [NeuronNode]? = nil, symmetryTolerance: Double = 1e-8) throws {
    try self.init(
      adjacency: SymmetricSparseMatrix(dense: denseAdjacency, symmetryTolerance: symmetryTolerance), nodes: nodes)
  }

  /// A graph from coordinate triplets (both `(i, j)` and `(j, i)` given; duplicates summed).
  public init(
    order: Int, rows: [Int], columns: [Int], values: [Double], nodes: [NeuronNode]? = nil,
    symmetryTolerance: Double = 1e-8
  ) throws {
    try self.init(
      adjacency: SymmetricSparseMatrix(
        order: order, rows: rows, columns: columns, values: values, symmetryTolerance: symmetryTolerance),
      nodes: nodes)
  }

  /// The number of nodes, isolated ones included.
  public var nodeCount: Int { nodes.count }

  /// Node indices of the isolated (zero-degree) nodes.
  public var isolatedNodes: [Int] {
    var isLive = [Bool](repeating: false, count: nodes.count)
    for i in liveNodes { isLive[i] = true }
    return nodes.indices.filter { !isLive[$0] }
  }

  /// Labels over all nodes from labels over ``liveNodes``: isolated nodes get `-1`.
  public func expandLabels(_ liveLabels: [Int]) -> [Int] {
    precondition(liveLabels.count == liveNodes.count, "\(liveLabels.count) labels for \(liveNodes.count) live nodes")
    var labels = [Int](repeating: -1, count: nodes.count)
    for (r, node) in liveNodes.enumerated() { labels[node] = liveLabels[r] }
    return labels
  }

  /// The node indices of each layer, in increasing layer order (by ``NeuronNode/layer``).
  public var layerNodeIndices: [(layer: Int, name: String, nodes: [Int])] {
    var order: [Int] = []
    var members: [Int: [Int]] = [:]
    var names: [Int: String] = [:]
    for (i, node) in nodes.enumerated() {
      if members[node.layer] == nil {
        order.append(node.layer)
        names[node.layer] = node.layerName
      }
      members[node.layer, default: []].append(i)
    }
    return order.sorted().map { (layer: $0, name: names[$0]!, nodes: members[$0]!) }
  }
}
