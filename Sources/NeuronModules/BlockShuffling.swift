import Tensors

extension NeuronGraph {
  /// A null-model copy of the graph for the shuffle test when there is no network to shuffle
  /// (a graph read from a file): within each block of the adjacency between two layers (by
  /// ``NeuronNode/layer``; a layer with itself included), the edge weights of the upper
  /// triangle are permuted uniformly at random over all the block's node pairs, zeros included.
  ///
  /// Each block keeps its weight distribution and density and loses its arrangement. For an
  /// MLP's weight graph (blocks between consecutive layers are `|W|`, other blocks are empty)
  /// this has the same distribution as rebuilding the graph from weights shuffled by
  /// ``shufflingWeights(of:seed:)``, the papers' null. A graph whose nodes are all in one layer
  /// is one block: every pair of nodes is equally likely to receive each weight.
  ///
  /// Seeded and reproducible; nodes are unchanged, so an isolated node may gain edges and a
  /// live one lose them (as when a network's weights are shuffled).
  public func shufflingBlocks(seed: UInt64) -> NeuronGraph {
    var generator = SeededGenerator(seed: seed)
    // Node indices of each layer, in increasing layer order.
    let layers = layerNodeIndices.map(\.nodes)
    var layerOf = [Int](repeating: 0, count: nodes.count)
    var positionOf = [Int](repeating: 0, count: nodes.count)
    for (l, members) in layers.enumerated() {
      for (p, node) in members.enumerated() {
        layerOf[node] = l
        positionOf[node] = p
      }
    }
    // The upper-triangle weights of each block (a <= b), keyed by a * L + b.
    let count = layers.count
    var blockWeights = [[Double]](repeating: [], count: count * count)
    adjacency.forEachEntry { i, j, value in
      let (a, b) = (layerOf[i], layerOf[j])
      if a < b || (a == b && positionOf[i] < positionOf[j]) { blockWeights[a * count + b].append(value) }
    }
    var rows: [Int] = []
    var columns: [Int] = []
    var values: [Double] = []
    for a in 0..<count {
      for b in a..<count {
        var weights = blockWeights[a * count + b]
        if weights.isEmpty { continue }
        let (first, second) = (layers[a], layers[b])
        // Pairs of the block numbered 0..<pairs: (p, q) for p in first, q in second, or p < q within a layer.
        let pairs = a == b ? first.count * (first.count - 1) / 2 : first.count * second.count
        generator.shuffle(&weights)
        for (slot, weight) in zip(generator.sample(weights.count, from: pairs), weights) {
          let (i, j) = a == b ? Self.trianglePair(slot, order: first.count) : (slot / second.count, slot % second.count)
          let (u, v) = (first[i], second[j])
          rows += [u, v]
          columns += [v, u]
          values += [weight, weight]
        }
      }
    }
    let csr = CSRBuilder.compress(order: nodes.count, rows: rows, columns: columns, values: values)
    let shuffled = SymmetricSparseMatrix(
      uncheckedOrder: csr.order, rowStarts: csr.rowStarts, columnIndices: csr.columnIndices, values: csr.values)
    // Same nodes and a valid adjacency: the initializer cannot fail.
    return try! NeuronGraph(adjacency: shuffled, nodes: nodes)
  }

  /// The pair `(i, j)`, `i < j < order`, numbered `slot` in row-major order of the strict upper triangle.
  private static func trianglePair(_ slot: Int, order n: Int) -> (Int, Int) {
    // Row i starts at slot i * (2n - i - 1) / 2; find the last start <= slot.
    var low = 0
    var high = n - 2
    while low < high {
      let middle = (low + high + 1) / 2
      if middle * (2 * n - middle - 1) / 2 <= slot { low = middle } else { high = middle - 1 }
    }
    let start = low * (2 * n - low - 1) / 2
    return (low, low + 1 + slot - start)
  }
}
