import Networks
import Tensors

/// Which pairs of units a correlation graph joins.
public enum CorrelationScope: String, Sendable, Hashable, Codable, CaseIterable {
  /// All hidden units pooled in one matrix: edges within and across layers.
  case global
  /// One matrix per layer: edges only between units of the same layer (a block-diagonal graph).
  case local
}

/// The values of one layer's units on a set of samples (the same samples for every layer).
public struct UnitActivations: Sendable {
  /// The layer the units belong to (its index and name label the graph's nodes).
  public var layer: GraphLayer
  /// `[samples, layer.width]`: row `i` holds every unit's value on sample `i`.
  public var values: Tensor<Double>

  public init(layer: GraphLayer, values: Tensor<Double>) {
    self.layer = layer
    self.values = values
  }
}

/// The coactivation graph of a network's hidden units (Hod et al. 2022): the edge between two
/// units is the squared Spearman rank correlation `rho^2` of their pre-activations over a set
/// of inputs, with no self-loops.
///
/// A unit whose values are constant over the samples (a dead or disconnected unit), or
/// hold a NaN or infinity, has no defined correlation: its edges are 0 (scipy's NaN mapped to
/// 0), so it is an isolated node of ``graph``, left out of clustering and labelled -1.
public struct CorrelationGraph: Sendable {
  /// The graph: nodes are the units, layer by layer in the order given.
  public let graph: NeuronGraph
  public let scope: CorrelationScope
  /// The number of samples the correlations are computed over.
  public let sampleCount: Int
  /// Node indices of units with constant values (zero rank variance).
  public let constantNodes: [Int]
  /// Node indices of units with a NaN or infinite value.
  public let nonFiniteNodes: [Int]

  /// The graph of the given layers' units.
  ///
  /// - Throws: ``NeuronModulesError/invalidShape(_:)`` for no layers, a value matrix that is not
  ///   `[samples, width]`, layers with different sample counts, or fewer than 3 samples.
  public init(_ layers: [UnitActivations], scope: CorrelationScope) throws {
    guard let first = layers.first else { throw NeuronModulesError.invalidShape("a correlation graph needs at least one layer") }
    let n = first.values.shape.first ?? 0
    for item in layers {
      guard item.values.rank == 2, item.values.shape[1] == item.layer.width else {
        throw NeuronModulesError.invalidShape(
          "values of layer \"\(item.layer.name)\" have shape \(item.values.shape), expected [samples, \(item.layer.width)]")
      }
      guard item.values.shape[0] == n else {
        throw NeuronModulesError.invalidShape(
          "layer \"\(item.layer.name)\" has \(item.values.shape[0]) samples, layer \"\(first.layer.name)\" has \(n)")
      }
    }
    var offsets = [0]
    for item in layers { offsets.append(offsets.last! + item.layer.width) }
    let order = offsets.last!
    // The correlation blocks: one over all units (global) or one per layer (local).
    let blocks: [(offset: Int, correlation: SpearmanCorrelation)]
    switch scope {
    case .global:
      blocks = [(0, try SpearmanCorrelation(Self.concatenatedColumns(layers.map(\.values), samples: n, width: order)))]
    case .local:
      blocks = try layers.enumerated().map { (offsets[$0.offset], try SpearmanCorrelation($0.element.values)) }
    }
    var rowStarts = [Int](repeating: 0, count: order + 1)
    var columns: [Int] = []
    var values: [Double] = []
    var constant: [Int] = []
    var nonFinite: [Int] = []
    for (offset, correlation) in blocks {
      let m = correlation.matrix.shape[0]
      let rho = correlation.matrix.scalars
      columns.reserveCapacity(columns.count + m * (m - 1))
      values.reserveCapacity(values.count + m * (m - 1))
      for i in 0..<m {
        for j in 0..<m where j != i {
          let r = rho[i * m + j]
          let weight = r * r
          if weight > 0 {
            columns.append(offset + j)
            values.append(weight)
          }
        }
        rowStarts[offset + i + 1] = columns.count
      }
      constant += correlation.constantColumns.map { offset + $0 }
      nonFinite += correlation.nonFiniteColumns.map { offset + $0 }
    }
    // rho is exactly symmetric (SpearmanCorrelation mirrors it), so rho^2 is too.
    let adjacency = SymmetricSparseMatrix(uncheckedOrder: order, rowStarts: rowStarts, columnIndices: columns, values: values)
    let nodes = layers.flatMap { item in
      (0..<item.layer.width).map { NeuronNode(layer: item.layer.index, unit: $0, layerName: item.layer.name) }
    }
    self.graph = try NeuronGraph(adjacency: adjacency, nodes: nodes)
    self.scope = scope
    self.sampleCount = n
    self.constantNodes = constant
    self.nonFiniteNodes = nonFinite
  }

  /// The correlation graph of a network's hidden units (every hidden layer of an MLP; the
  /// convolution channels and hidden dense units of a CNN; see ``unitLayerSites(of:)``) on
  /// `inputs`, from their pre-activations. A channel's value on an input is the Euclidean
  /// norm of its pre-activation map over space (after BatchNorm when the stage has one).
  ///
  /// Pass the inputs to use (the papers use up to 5,000); all of them are used.
  ///
  /// - Throws: ``NeuronModulesError`` for a transformer, a network without hidden units,
  ///   inputs of the wrong shape or fewer than 3 inputs.
  public init<Scalar: TensorScalar>(
    network: Network<Scalar>, inputs: Tensor<Scalar>, scope: CorrelationScope, batchSize: Int = 512
  ) throws {
    let hidden = try unitLayerSites(of: network).filter(\.isHidden)
    guard !hidden.isEmpty else {
      throw NeuronModulesError.unsupportedArchitecture("\(network.architecture.summary) (no hidden units to correlate)")
    }
    let values = try capturedUnitValues(of: network, inputs: inputs, layers: hidden, batchSize: batchSize)
    try self.init(zip(hidden, values).map { UnitActivations(layer: $0.layer, values: $1) }, scope: scope)
  }

  /// `[n, width]` from the layers' `[n, w_l]` matrices side by side.
  private static func concatenatedColumns(_ matrices: [Tensor<Double>], samples n: Int, width: Int) -> Tensor<Double> {
    if matrices.count == 1 { return matrices[0] }
    var result = [Double](repeating: 0, count: n * width)
    var offset = 0
    for matrix in matrices {
      let w = matrix.shape[1]
      let scalars = matrix.scalars
      for i in 0..<n {
        for j in 0..<w { result[i * width + offset + j] = scalars[i * w + j] }
      }
      offset += w
    }
    return Tensor(shape: [n, width], scalars: result)
  }
}
