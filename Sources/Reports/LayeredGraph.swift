import Foundation

/// A layered network: nodes in columns (one per layer) coloured by category (cluster id, -1 =
/// grey), weighted edges drawn with opacity and width by weight, layer labels and a legend.
///
/// Pass only the edges worth drawing (e.g. the strongest few hundred); nodes scale down to small
/// dots so hundreds per column fit.
public struct LayeredGraph: SVGChart {
  /// One column of nodes.
  public struct Layer: Hashable, Sendable {
    /// The column label (the node count is appended).
    public var label: String
    /// The category of each node in this layer (its length is the node count); -1 = none.
    public var categories: [Int]

    /// A layer with one node per entry of `categories`.
    public init(label: String, categories: [Int]) {
      self.label = label
      self.categories = categories
    }

    /// A layer of `count` uncategorised nodes.
    public init(label: String, count: Int) {
      self.init(label: label, categories: [Int](repeating: -1, count: count))
    }
  }

  /// A node address: layer index and node index within the layer.
  public struct Node: Hashable, Sendable {
    /// The layer (column) index.
    public var layer: Int
    /// The node index within its layer.
    public var index: Int

    /// Node `index` of layer `layer`.
    public init(layer: Int, index: Int) {
      self.layer = layer
      self.index = index
    }
  }

  /// A weighted edge; the magnitude of `weight` sets opacity and width.
  public struct Edge: Hashable, Sendable {
    /// The source node.
    public var from: Node
    /// The target node.
    public var to: Node
    /// The edge weight; larger magnitude draws wider and more opaque.
    public var weight: Double

    /// An edge from `from` to `to`.
    public init(from: Node, to: Node, weight: Double) {
      self.from = from
      self.to = to
      self.weight = weight
    }
  }

  /// The columns, left to right.
  public var layers: [Layer]
  /// The edges to draw (typically only the strongest).
  public var edges: [Edge]
  /// A title drawn above the graph.
  public var title: String?
  /// Legend names per category; missing ones read "cluster k" (and "unclustered" for -1).
  public var categoryNames: [Int: String]
  /// Whether to order each column by category so clusters form contiguous runs.
  public var sortsNodesByCategory: Bool
  /// The plot height; `nil` grows with the largest layer (clamped to 240...560).
  public var height: Double?
  /// Horizontal distance between columns.
  public var columnSpacing: Double

  /// A layered graph of `layers` and `edges`.
  public init(
    layers: [Layer], edges: [Edge], title: String? = nil, categoryNames: [Int: String] = [:],
    sortsNodesByCategory: Bool = true, height: Double? = nil, columnSpacing: Double = 170
  ) {
    self.layers = layers
    self.edges = edges
    self.title = title
    self.categoryNames = categoryNames
    self.sortsNodesByCategory = sortsNodesByCategory
    self.height = height
    self.columnSpacing = columnSpacing
  }

  /// The display row of every node in each layer (identity unless sorting by category).
  private func rows(of layer: Layer) -> [Int] {
    let indices = Array(layer.categories.indices)
    guard sortsNodesByCategory else { return indices }
    let sorted = indices.sorted { a, b in
      let ca = layer.categories[a], cb = layer.categories[b]
      let ka = ca < 0 ? Int.max : ca, kb = cb < 0 ? Int.max : cb
      return ka != kb ? ka < kb : a < b
    }
    var rows = [Int](repeating: 0, count: indices.count)
    for (row, index) in sorted.enumerated() { rows[index] = row }
    return rows
  }

  public func svg() -> String {
    let maxCount = layers.map(\.categories.count).max() ?? 0
    let plotHeight = height ?? (Double(maxCount) * 4).clamped(to: 240...560)
    // Each column spreads over the full height (up to 22 points per node).
    let spacings = layers.map { $0.categories.isEmpty ? 22 : min(22, plotHeight / Double($0.categories.count)) }
    let radii = spacings.map { ($0 * 0.36).clamped(to: 1.3...6) }

    let categories = Set(layers.flatMap(\.categories)).sorted { ($0 < 0 ? Int.max : $0) < ($1 < 0 ? Int.max : $1) }
    let legendNames = categories.map { categoryNames[$0] ?? ($0 < 0 ? "unclustered" : "cluster \($0)") }
    let legendWidth = SVGBuilder.legendWidth(legendNames)
    let layerLabels = layers.map { "\($0.label) (\($0.categories.count))" }
    let labelWidths = layerLabels.map { SVGBuilder.textWidth($0, fontSize: ChartMetrics.tickFontSize) }
    let edge = max(30, ((labelWidths.first ?? 0) / 2) + 6)
    let left = ChartMetrics.padding + edge
    let top = (title?.isEmpty == false ? ChartMetrics.titleBand : 0) + ChartMetrics.padding + 4
    let columnsWidth = Double(max(0, layers.count - 1)) * columnSpacing
    let rightEdge = max(30, ((labelWidths.last ?? 0) / 2) + 6)
    let width = max(
      left + columnsWidth + rightEdge + 16 + legendWidth + ChartMetrics.padding,
      SVGBuilder.textWidth(title ?? "", fontSize: ChartMetrics.titleFontSize) + 20)
    let totalHeight = top + max(plotHeight, Double(legendNames.count) * 17 + 8) + 32 + ChartMetrics.padding

    let rowMaps = layers.map(rows(of:))
    func position(_ node: Node) -> (x: Double, y: Double)? {
      guard node.layer >= 0, node.layer < layers.count, node.index >= 0,
        node.index < layers[node.layer].categories.count
      else { return nil }
      let count = layers[node.layer].categories.count, spacing = spacings[node.layer]
      let offset = (plotHeight - Double(count) * spacing) / 2
      return (left + Double(node.layer) * columnSpacing, top + offset + (Double(rowMaps[node.layer][node.index]) + 0.5) * spacing)
    }
    func category(_ node: Node) -> Int { layers[node.layer].categories[node.index] }

    var b = SVGBuilder()
    b.chartTitle(title, width: width)

    // Edges, weakest first so the strongest end up on top.
    let maxWeight = edges.map { abs($0.weight) }.filter(\.isFinite).max() ?? 0
    let ordered = edges.enumerated().filter { $0.element.weight.isFinite }.sorted {
      abs($0.element.weight) != abs($1.element.weight) ? abs($0.element.weight) < abs($1.element.weight) : $0.offset < $1.offset
    }
    b.openGroup([("class", "edges"), ("stroke-linecap", "round")])
    for (_, e) in ordered {
      guard let p = position(e.from), let q = position(e.to) else { continue }
      let strength = maxWeight > 0 ? abs(e.weight) / maxWeight : 1
      let (cf, ct) = (category(e.from), category(e.to))
      // Edges inside a category take its colour; edges across categories are fainter grey.
      let within = cf >= 0 && cf == ct
      let stroke = within ? Palette.color(forCategory: cf).hexString : "#8c8c8c"
      b.line(
        x1: p.x, y1: p.y, x2: q.x, y2: q.y, stroke: stroke, width: 0.4 + 2.4 * strength,
        opacity: (0.12 + 0.7 * strength) * (within ? 1 : 0.55))
    }
    b.closeGroup()

    // Nodes.
    b.openGroup([("class", "nodes")])
    for (l, layer) in layers.enumerated() {
      for (i, c) in layer.categories.enumerated() {
        guard let p = position(Node(layer: l, index: i)) else { continue }
        b.circle(
          cx: p.x, cy: p.y, r: radii[l], fill: Palette.color(forCategory: c).hexString,
          stroke: radii[l] >= 3 ? "#ffffff" : nil, strokeWidth: 0.8, extra: [("class", "node")])
      }
    }
    b.closeGroup()

    // Layer labels.
    b.openGroup([("class", "layer-labels")])
    for (l, label) in layerLabels.enumerated() {
      b.text(
        label, x: left + Double(l) * columnSpacing, y: top + plotHeight + 20, size: ChartMetrics.tickFontSize,
        anchor: .middle, weight: "600")
    }
    b.closeGroup()
    b.legend(
      zip(legendNames, categories).map { LegendEntry(name: $0, color: Palette.color(forCategory: $1).hexString) },
      x: left + columnsWidth + rightEdge + 16, y: top + 8)
    return b.document(width: width, height: totalHeight, title: title, className: "layered-graph")
  }
}
