/// A problem with the input of a neuron-modules computation: a graph that is not a valid
/// weighted undirected graph, a network the builders cannot read, or clustering options that
/// do not fit the graph.
public enum NeuronModulesError: Error, Sendable, Equatable, CustomStringConvertible {
  /// An adjacency entry is negative; edge weights must be >= 0.
  case negativeWeight(row: Int, column: Int, value: Double)
  /// An adjacency entry is NaN or infinite.
  case nonFiniteWeight(row: Int, column: Int, value: Double)
  /// `A[row, column]` and `A[column, row]` differ by more than the tolerance.
  case asymmetric(row: Int, column: Int, value: Double, transposedValue: Double, tolerance: Double)
  /// Shapes or lengths that do not fit together.
  case invalidShape(String)
  /// An entry index outside `0..<order`.
  case indexOutOfRange(row: Int, column: Int, order: Int)
  /// Fewer than two clusters were requested.
  case tooFewClusters(requested: Int)
  /// More clusters were requested than the graph has nodes with a nonzero degree.
  case tooManyClusters(requested: Int, liveNodes: Int)
  /// Every node of the graph is isolated (zero degree).
  case emptyGraph
  /// The builders do not handle this architecture.
  case unsupportedArchitecture(String)
  /// A parameter the builder needs is missing or has an unexpected shape.
  case invalidParameter(name: String, reason: String)
  /// A labelling whose length differs from the graph's node count.
  case labelCount(expected: Int, found: Int)
  /// An option outside its valid range.
  case invalidOption(String)

  public var description: String {
    switch self {
    case .negativeWeight(let row, let column, let value):
      "adjacency entry (\(row), \(column)) is negative (\(value)); edge weights must be >= 0"
    case .nonFiniteWeight(let row, let column, let value):
      "adjacency entry (\(row), \(column)) is \(value); edge weights must be finite"
    case .asymmetric(let row, let column, let value, let transposed, let tolerance):
      "adjacency is not symmetric: A[\(row), \(column)] = \(value) but A[\(column), \(row)] = \(transposed)"
        + " (tolerance \(tolerance))"
    case .invalidShape(let why): "invalid shape: \(why)"
    case .indexOutOfRange(let row, let column, let order):
      "entry (\(row), \(column)) is outside a \(order) x \(order) adjacency matrix"
    case .tooFewClusters(let k): "spectral clustering needs at least 2 clusters, got \(k)"
    case .tooManyClusters(let k, let live):
      "cannot form \(k) clusters from \(live) connected node\(live == 1 ? "" : "s")"
        + " (isolated nodes are removed before clustering)"
    case .emptyGraph: "the graph has no edges: every node is isolated"
    case .unsupportedArchitecture(let what): "neuron graphs are not defined for \(what)"
    case .invalidParameter(let name, let reason): "parameter \"\(name)\": \(reason)"
    case .labelCount(let expected, let found): "expected \(expected) labels (one per node), got \(found)"
    case .invalidOption(let why): "invalid option: \(why)"
    }
  }
}
