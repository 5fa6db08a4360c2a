import Tensors

/// One layer of a layered neuron graph: its position in the network, its name and its width.
public struct GraphLayer: Sendable, Hashable, Codable {
  /// The layer's position in the network (0 for the input); see ``NeuronNode/layer``.
  public var index: Int
  public var name: String
  public var width: Int

  public init(index: Int, name: String, width: Int) {
    self.index = index
    self.name = name
    self.width = width
  }
}

extension NeuronGraph {
  /// A layered graph: the units of consecutive layers joined by nonnegative connection
  /// strengths, as in a feed-forward network's weight graph.
  ///
  /// Nodes are numbered layer by layer (all of `layers[0]`, then `layers[1]`, ...).
  ///
  /// - Parameters:
  ///   - layers: the layers in order, at least one.
  ///   - connections: `layers.count - 1` matrices; `connections[i]` has shape
  ///     `[layers[i + 1].width, layers[i].width]` (PyTorch's `[out, in]` layout) and entry
  ///     `[o, u]` is the weight of the edge between unit `u` of layer `i` and unit `o` of layer
  ///     `i + 1`.
  /// - Throws: ``NeuronModulesError`` for a shape mismatch or a NaN, infinite or negative entry.
  public init(layers: [GraphLayer], connections: [Tensor<Double>]) throws {
    guard !layers.isEmpty, layers.allSatisfy({ $0.width >= 0 }) else {
      throw NeuronModulesError.invalidShape("a layered graph needs at least one layer of nonnegative width")
    }
    guard connections.count == layers.count - 1 else {
      throw NeuronModulesError.invalidShape(
        "\(layers.count) layers need \(layers.count - 1) connection matrices, got \(connections.count)")
    }
    var offsets = [0]
    for layer in layers { offsets.append(offsets.last! + layer.width) }
    var rows: [Int] = []
    var columns: [Int] = []
    var values: [Double] = []
    for (i, matrix) in connections.enumerated() {
      let (inputs, outputs) = (layers[i].width, layers[i + 1].width)
      guard matrix.shape == [outputs, inputs] else {
        throw NeuronModulesError.invalidShape(
          "connections[\(i)] between \"\(layers[i].name)\" and \"\(layers[i + 1].name)\" must be [\(outputs), \(inputs)], got \(matrix.shape)"
        )
      }
      for o in 0..<outputs {
        for u in 0..<inputs {
          let value = matrix.scalars[o * inputs + u]
          let (a, b) = (offsets[i] + u, offsets[i + 1] + o)
          guard value.isFinite else { throw NeuronModulesError.nonFiniteWeight(row: a, column: b, value: value) }
          guard value >= 0 else { throw NeuronModulesError.negativeWeight(row: a, column: b, value: value) }
          if value == 0 { continue }
          rows += [a, b]
          columns += [b, a]
          values += [value, value]
        }
      }
    }
    // Exactly symmetric by construction: no tolerance check needed.
    let csr = CSRBuilder.compress(order: offsets.last!, rows: rows, columns: columns, values: values)
    let adjacency = SymmetricSparseMatrix(
      uncheckedOrder: csr.order, rowStarts: csr.rowStarts, columnIndices: csr.columnIndices, values: csr.values)
    let nodes = layers.flatMap { layer in
      (0..<layer.width).map { NeuronNode(layer: layer.index, unit: $0, layerName: layer.name) }
    }
    try self.init(adjacency: adjacency, nodes: nodes)
  }
}
