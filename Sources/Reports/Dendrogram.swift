import Foundation

/// A hierarchical-clustering tree drawn from a SciPy-style linkage matrix, with leaves along the
/// bottom, a height axis, optional leaf colouring by group and an optional cut line.
public struct Dendrogram: SVGChart {
  /// One merge (a row of a SciPy linkage matrix). Ids below the leaf count are leaves; id
  /// `n + i` is the cluster made by merge `i`.
  public struct Merge: Hashable, Sendable {
    /// The id of the left child (drawn first).
    public var left: Int
    /// The id of the right child.
    public var right: Int
    /// The merge distance (the height where the two children join).
    public var height: Double
    /// The number of leaves in the merged cluster.
    public var size: Int

    /// A merge of clusters `left` and `right` at `height`.
    public init(left: Int, right: Int, height: Double, size: Int) {
      self.left = left
      self.right = right
      self.height = height
      self.size = size
    }
  }

  /// The `n - 1` merges, in order.
  public var merges: [Merge]
  /// One label per leaf (the leaf count is `merges.count + 1`; missing labels show the index).
  public var leafLabels: [String]
  /// Optional group id per leaf (colours leaves and single-group subtrees); -1 = no group.
  public var leafGroups: [Int]?
  /// A height at which to draw a dashed horizontal cut line. Without `leafGroups`, subtrees
  /// below the cut are coloured as clusters.
  public var cutHeight: Double?
  /// A title drawn above the tree.
  public var title: String?
  /// The height-axis label.
  public var yLabel: String?
  /// The figure height in points.
  public var height: Double
  /// Horizontal space per leaf.
  public var leafSpacing: Double

  /// A dendrogram from merges.
  public init(
    merges: [Merge], leafLabels: [String] = [], leafGroups: [Int]? = nil, cutHeight: Double? = nil,
    title: String? = nil, yLabel: String? = "height", height: Double = 340, leafSpacing: Double = 22
  ) {
    self.merges = merges
    self.leafLabels = leafLabels
    self.leafGroups = leafGroups
    self.cutHeight = cutHeight
    self.title = title
    self.yLabel = yLabel
    self.height = height
    self.leafSpacing = leafSpacing
  }

  /// A dendrogram from SciPy linkage rows `[left, right, height, size]`.
  public init(
    linkage: [[Double]], leafLabels: [String] = [], leafGroups: [Int]? = nil, cutHeight: Double? = nil,
    title: String? = nil, yLabel: String? = "height", height: Double = 340, leafSpacing: Double = 22
  ) {
    let merges = linkage.map { row in
      Merge(
        left: row.count > 0 ? Int(row[0]) : -1, right: row.count > 1 ? Int(row[1]) : -1,
        height: row.count > 2 ? row[2] : .nan, size: row.count > 3 ? Int(row[3]) : 0)
    }
    self.init(
      merges: merges, leafLabels: leafLabels, leafGroups: leafGroups, cutHeight: cutHeight, title: title,
      yLabel: yLabel, height: height, leafSpacing: leafSpacing)
  }

  /// The number of leaves.
  public var leafCount: Int { merges.count + 1 }

  /// Whether every merge refers only to leaves or earlier merges, each used once.
  public var isValid: Bool {
    let n = leafCount
    var used = Set<Int>()
    for (i, m) in merges.enumerated() {
      for id in [m.left, m.right] {
        guard id >= 0, id < n + i, used.insert(id).inserted else { return false }
      }
      guard m.height.isFinite else { return false }
    }
    return true
  }

  /// Leaves left to right, as SciPy's `leaves_list`: depth-first from the root, left child first.
  /// Empty when the linkage is invalid.
  public var leafOrder: [Int] {
    guard isValid else { return [] }
    let n = leafCount
    guard !merges.isEmpty else { return [0] }
    var order: [Int] = []
    var stack = [n + merges.count - 1]
    while let id = stack.popLast() {
      if id < n {
        order.append(id)
      } else {
        let m = merges[id - n]
        stack.append(m.right)
        stack.append(m.left)
      }
    }
    return order
  }

  /// The group of each node id (leaves then merges): a leaf's group, or the common group of its
  /// children, or -1 when they differ.
  private func nodeGroups() -> [Int]? {
    let n = leafCount
    var groups: [Int]
    if let leafGroups {
      groups = (0..<n).map { $0 < leafGroups.count ? leafGroups[$0] : -1 }
      for m in merges {
        groups.append(groups[m.left] == groups[m.right] ? groups[m.left] : -1)
      }
      return groups
    }
    guard let cutHeight else { return nil }
    // Clusters below the cut, numbered in leaf order.
    groups = [Int](repeating: -1, count: n + merges.count)
    var clusterOf = [Int](repeating: -1, count: n + merges.count)
    for (i, m) in merges.enumerated() where m.height <= cutHeight {
      clusterOf[n + i] = n + i
    }
    // Propagate top-down: a node inherits its parent's cluster root if the parent is below the cut.
    for i in stride(from: merges.count - 1, through: 0, by: -1) {
      let m = merges[i]
      let root = clusterOf[n + i]
      if root >= 0 {
        clusterOf[m.left] = root
        clusterOf[m.right] = root
      }
    }
    var numbering: [Int: Int] = [:]
    for leaf in leafOrder where clusterOf[leaf] >= 0 {
      if numbering[clusterOf[leaf]] == nil { numbering[clusterOf[leaf]] = numbering.count }
    }
    for id in 0..<(n + merges.count) where clusterOf[id] >= 0 {
      groups[id] = numbering[clusterOf[id]] ?? -1
    }
    return groups
  }

  public func svg() -> String {
    let n = leafCount
    let order = leafOrder
    var b = SVGBuilder()
    guard !order.isEmpty else {
      b.text("invalid linkage (\(merges.count) merges)", x: 10, y: 24, size: 12, fill: "#b00")
      return b.document(width: 260, height: 40, title: title, className: "dendrogram")
    }
    let labels = (0..<n).map { $0 < leafLabels.count ? leafLabels[$0] : String($0) }
    let maxLabel = labels.map { SVGBuilder.textWidth($0, fontSize: ChartMetrics.tickFontSize) }.max() ?? 0
    let rotate = maxLabel > leafSpacing - 3
    let labelBand = rotate ? maxLabel + 12 : 20
    let maxHeight = max(merges.map(\.height).max() ?? 1, cutHeight ?? 0)
    let ticks = AxisTicks(covering: 0, maxHeight > 0 ? maxHeight : 1, targetCount: max(2, Int(height / 60)))
    let yAxis = AxisLabels(linear: ticks)
    let hasYLabel = yLabel?.isEmpty == false
    let left = ChartMetrics.padding + (hasYLabel ? 20 : 0) + yAxis.maxLabelWidth + ChartMetrics.tickLength + 6
    let top = (title?.isEmpty == false ? ChartMetrics.titleBand : 0) + ChartMetrics.padding + 6
    let cutLabel = cutHeight.map { "cut " + NumberFormatting.compact($0, significantDigits: 3) }
    let right = ChartMetrics.padding + 6
    let plotWidth = max(Double(n) * leafSpacing, SVGBuilder.textWidth(cutLabel ?? "", fontSize: 11) + 20, 120)
    let width = max(left + plotWidth + right, SVGBuilder.textWidth(title ?? "", fontSize: ChartMetrics.titleFontSize) + 20)
    let area = PlotArea(x: left, y: top, width: plotWidth, height: max(60, height - top - labelBand - ChartMetrics.padding - 4))
    let yScale = AxisScale(domain: (0, ticks.upper), range: (area.bottom, area.y))

    b.chartTitle(title, width: width)
    b.leftAxis(yAxis, scale: yScale, area: area, label: yLabel)

    // Positions: leaves evenly spaced, merges at the midpoint of their children.
    var xs = [Double](repeating: 0, count: n + merges.count)
    var ys = [Double](repeating: area.bottom, count: n + merges.count)
    for (position, leaf) in order.enumerated() {
      xs[leaf] = area.x + leafSpacing * (Double(position) + 0.5) + (plotWidth - Double(n) * leafSpacing) / 2
    }
    for (i, m) in merges.enumerated() {
      xs[n + i] = (xs[m.left] + xs[m.right]) / 2
      ys[n + i] = yScale(max(0, m.height))
    }
    let groups = nodeGroups()
    func color(_ id: Int) -> String {
      guard let groups, groups[id] >= 0 else { return "#444" }
      return Palette.color(forCategory: groups[id]).hexString
    }

    b.openGroup([("class", "links"), ("stroke-linecap", "square")])
    for (i, m) in merges.enumerated() {
      let id = n + i
      let y = ys[id]
      let stroke = color(id)
      if stroke != "#444" {
        b.path(
          "M\(SVGBuilder.n(xs[m.left])) \(SVGBuilder.n(ys[m.left]))V\(SVGBuilder.n(y))H\(SVGBuilder.n(xs[m.right]))V\(SVGBuilder.n(ys[m.right]))",
          stroke: stroke, width: 1.6)
      } else {
        // Children keep their own colours up to the merge height; the bar is neutral.
        b.path("M\(SVGBuilder.n(xs[m.left])) \(SVGBuilder.n(ys[m.left]))V\(SVGBuilder.n(y))", stroke: color(m.left), width: 1.6)
        b.path(
          "M\(SVGBuilder.n(xs[m.right])) \(SVGBuilder.n(ys[m.right]))V\(SVGBuilder.n(y))", stroke: color(m.right), width: 1.6)
        b.path("M\(SVGBuilder.n(xs[m.left])) \(SVGBuilder.n(y))H\(SVGBuilder.n(xs[m.right]))", stroke: stroke, width: 1.6)
      }
    }
    b.closeGroup()
    b.line(x1: area.x, y1: area.bottom, x2: area.right, y2: area.bottom, stroke: SVGBuilder.axisColor)

    b.openGroup([("class", "leaves")])
    for leaf in order {
      let group = groups?[leaf] ?? -1
      let marker = group >= 0 ? Palette.color(forCategory: group).hexString : "#444"
      let fill = group >= 0 ? Palette.color(forCategory: group).readableOnWhite.hexString : SVGBuilder.textColor
      b.circle(cx: xs[leaf], cy: area.bottom, r: 3, fill: marker)
      if rotate {
        b.text(
          labels[leaf], x: xs[leaf], y: area.bottom + 8, size: ChartMetrics.tickFontSize, anchor: .end,
          fill: fill, rotation: -90, centered: true)
      } else {
        b.text(labels[leaf], x: xs[leaf], y: area.bottom + 18, size: ChartMetrics.tickFontSize, anchor: .middle, fill: fill)
      }
    }
    b.closeGroup()

    if let cutHeight, let cutLabel, cutHeight.isFinite {
      let y = yScale(cutHeight)
      b.line(x1: area.x, y1: y, x2: area.right, y2: y, stroke: "#d62728", width: 1.4, dash: "6 4", extra: [("class", "cut")])
      b.text(
        cutLabel, x: area.right - 2, y: y - 4, size: ChartMetrics.tickFontSize, anchor: .end, fill: "#d62728",
        extra: [("paint-order", "stroke"), ("stroke", "#ffffff"), ("stroke-width", "3")])
    }
    return b.document(width: width, height: height, title: title, className: "dendrogram")
  }
}
