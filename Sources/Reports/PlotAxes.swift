import Foundation

/// Maps a data interval onto a pixel interval, linearly or logarithmically (base 10).
struct AxisScale {
  var domain: (lower: Double, upper: Double)
  var range: (start: Double, end: Double)
  var isLogarithmic = false

  func callAsFunction(_ value: Double) -> Double {
    let (a, b, v): (Double, Double, Double)
    if isLogarithmic {
      (a, b, v) = (log10(domain.lower), log10(domain.upper), value > 0 ? log10(value) : log10(domain.lower))
    } else {
      (a, b, v) = (domain.lower, domain.upper, value)
    }
    let t = b == a ? 0.5 : (v - a) / (b - a)
    return range.start + t * (range.end - range.start)
  }
}

/// The rectangle inside the margins where data is drawn.
struct PlotArea {
  var x: Double
  var y: Double
  var width: Double
  var height: Double
  var right: Double { x + width }
  var bottom: Double { y + height }
}

/// Ticks with their labels for one axis.
struct AxisLabels {
  var values: [Double]
  var labels: [String]
  var isLogarithmic: Bool

  init(linear ticks: AxisTicks) {
    values = ticks.values
    labels = ticks.values.map(ticks.label(for:))
    isLogarithmic = false
  }

  init(logarithmic lower: Double, _ upper: Double) {
    values = AxisTicks.logarithmic(covering: lower, upper)
    labels = values.map(AxisTicks.logarithmicLabel(for:))
    isLogarithmic = true
  }

  var maxLabelWidth: Double {
    labels.map { SVGBuilder.textWidth($0, fontSize: ChartMetrics.tickFontSize) }.max() ?? 0
  }
}

/// Shared sizes for chart text and spacing.
enum ChartMetrics {
  static let tickFontSize = 11.0
  static let axisLabelFontSize = 12.0
  static let titleFontSize = 14.0
  static let legendFontSize = 11.0
  static let tickLength = 4.0
  static let titleBand = 28.0
  static let padding = 10.0
}

extension SVGBuilder {
  /// A centred bold title at the top.
  mutating func chartTitle(_ title: String?, width: Double) {
    guard let title, !title.isEmpty else { return }
    text(title, x: width / 2, y: 19, size: ChartMetrics.titleFontSize, anchor: .middle, weight: "600")
  }

  /// Horizontal grid lines, a left axis with ticks and labels, and an optional rotated label.
  mutating func leftAxis(_ axis: AxisLabels, scale: AxisScale, area: PlotArea, label: String?, grid: Bool = true) {
    openGroup([("class", "y-axis")])
    for (value, text) in zip(axis.values, axis.labels) {
      let y = scale(value)
      guard y >= area.y - 0.5 && y <= area.bottom + 0.5 else { continue }
      if grid { line(x1: area.x, y1: y, x2: area.right, y2: y, stroke: SVGBuilder.gridColor) }
      line(x1: area.x - ChartMetrics.tickLength, y1: y, x2: area.x, y2: y, stroke: SVGBuilder.axisColor)
      self.text(
        text, x: area.x - ChartMetrics.tickLength - 3, y: y, size: ChartMetrics.tickFontSize,
        anchor: .end, fill: SVGBuilder.mutedTextColor, centered: true)
    }
    line(x1: area.x, y1: area.y, x2: area.x, y2: area.bottom, stroke: SVGBuilder.axisColor)
    if let label, !label.isEmpty {
      let x = area.x - ChartMetrics.tickLength - 8 - axis.maxLabelWidth - 6
      text(
        label, x: x, y: area.y + area.height / 2, size: ChartMetrics.axisLabelFontSize, anchor: .middle,
        rotation: -90)
    }
    closeGroup()
  }

  /// Vertical grid lines, a bottom axis with ticks and labels, and an optional label below.
  mutating func bottomAxis(_ axis: AxisLabels, scale: AxisScale, area: PlotArea, label: String?, grid: Bool = true) {
    openGroup([("class", "x-axis")])
    for (value, text) in zip(axis.values, axis.labels) {
      let x = scale(value)
      guard x >= area.x - 0.5 && x <= area.right + 0.5 else { continue }
      if grid { line(x1: x, y1: area.y, x2: x, y2: area.bottom, stroke: SVGBuilder.gridColor) }
      line(x1: x, y1: area.bottom, x2: x, y2: area.bottom + ChartMetrics.tickLength, stroke: SVGBuilder.axisColor)
      self.text(
        text, x: x, y: area.bottom + ChartMetrics.tickLength + 12, size: ChartMetrics.tickFontSize,
        anchor: .middle, fill: SVGBuilder.mutedTextColor)
    }
    line(x1: area.x, y1: area.bottom, x2: area.right, y2: area.bottom, stroke: SVGBuilder.axisColor)
    if let label, !label.isEmpty {
      text(
        label, x: area.x + area.width / 2, y: area.bottom + ChartMetrics.tickLength + 30,
        size: ChartMetrics.axisLabelFontSize, anchor: .middle)
    }
    closeGroup()
  }

  /// A vertical legend of coloured swatches starting at (`x`, `y`).
  mutating func legend(_ entries: [LegendEntry], x: Double, y: Double) {
    guard !entries.isEmpty else { return }
    openGroup([("class", "legend")])
    for (i, entry) in entries.enumerated() {
      legendItem(entry, x: x, y: y + Double(i) * 17)
    }
    closeGroup()
  }

  /// A legend laid out in rows (left to right, wrapping at `maxWidth`) starting at (`x`, `y`).
  mutating func horizontalLegend(_ entries: [LegendEntry], x: Double, y: Double, maxWidth: Double) {
    guard !entries.isEmpty else { return }
    openGroup([("class", "legend")])
    for (entry, position) in zip(entries, Self.horizontalLegendLayout(entries.map(\.name), maxWidth: maxWidth).positions) {
      legendItem(entry, x: x + position.x, y: y + position.y)
    }
    closeGroup()
  }

  /// Offsets of each item of a wrapped horizontal legend, and its total height.
  static func horizontalLegendLayout(_ names: [String], maxWidth: Double) -> (positions: [(x: Double, y: Double)], height: Double)
  {
    var positions: [(x: Double, y: Double)] = []
    var x = 0.0, row = 0
    for name in names {
      let w = 22 + textWidth(name, fontSize: ChartMetrics.legendFontSize) + 16
      if x > 0 && x + w > maxWidth {
        x = 0
        row += 1
      }
      positions.append((x, Double(row) * 17))
      x += w
    }
    return (positions, names.isEmpty ? 0 : Double(row + 1) * 17)
  }

  private mutating func legendItem(_ entry: LegendEntry, x: Double, y: Double) {
    switch entry.swatch {
    case .box:
      rect(x: x + 2, y: y - 5, width: 11, height: 11, fill: entry.color)
    case .line(let dashed):
      line(x1: x, y1: y, x2: x + 16, y2: y, stroke: entry.color, width: 2.5, dash: dashed ? "4 3" : nil)
    }
    text(entry.name, x: x + 22, y: y, size: ChartMetrics.legendFontSize, centered: true)
  }

  /// The width a legend with these names needs.
  static func legendWidth(_ names: [String]) -> Double {
    guard !names.isEmpty else { return 0 }
    return 22 + (names.map { textWidth($0, fontSize: ChartMetrics.legendFontSize) }.max() ?? 0) + 8
  }
}

/// One legend item.
struct LegendEntry {
  enum Swatch {
    case box
    case line(dashed: Bool)
  }

  var name: String
  var color: String
  var swatch: Swatch = .box
}
