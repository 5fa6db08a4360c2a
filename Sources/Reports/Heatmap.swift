import Foundation

/// A matrix drawn as coloured cells with row/column labels, a labelled colourbar, optional group
/// boxes along the diagonal and optional value annotations.
public struct Heatmap: SVGChart {
  /// How the cells are drawn.
  public enum CellRendering: Hashable, Sendable {
    /// `rects` up to 4096 cells, `image` beyond (keeps big matrices small).
    case automatic
    /// One `<rect>` per cell, with a hover tooltip giving its value.
    case rects
    /// One embedded PNG with a pixel per cell, scaled up without smoothing.
    case image
  }

  /// The matrix, row-major; rows may not be ragged (missing entries count as NaN).
  public var values: [[Double]]
  /// Labels for the rows (top to bottom); empty for none.
  public var rowLabels: [String]
  /// Labels for the columns (left to right); empty for none. Long labels are rotated.
  public var columnLabels: [String]
  /// A title drawn above the matrix.
  public var title: String?
  /// The colour scale; NaN cells use its `missingColor`.
  public var colorScale: ColorScale
  /// The value range mapped onto the colour scale; `nil` uses the finite min...max.
  public var valueRange: ClosedRange<Double>?
  /// Index ranges drawn as boxes along the diagonal (e.g. groups of similar layers).
  public var groups: [Range<Int>]
  /// Whether to write each value in its cell; `nil` does so for matrices up to 12 × 12.
  public var showsValues: Bool?
  /// The side of one cell in points; `nil` picks one so the matrix is about 340 points wide.
  public var cellSize: Double?
  /// A label for the colourbar (e.g. "GW distance").
  public var colorbarLabel: String?
  /// How the cells are drawn.
  public var cellRendering: CellRendering

  /// A heatmap of `values` (rows of equal length).
  public init(
    values: [[Double]], rowLabels: [String] = [], columnLabels: [String] = [], title: String? = nil,
    colorScale: ColorScale = .viridis, valueRange: ClosedRange<Double>? = nil, groups: [Range<Int>] = [],
    showsValues: Bool? = nil, cellSize: Double? = nil, colorbarLabel: String? = nil,
    cellRendering: CellRendering = .automatic
  ) {
    self.values = values
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.title = title
    self.colorScale = colorScale
    self.valueRange = valueRange
    self.groups = groups
    self.showsValues = showsValues
    self.cellSize = cellSize
    self.colorbarLabel = colorbarLabel
    self.cellRendering = cellRendering
  }

  /// The number of rows.
  public var rowCount: Int { values.count }
  /// The number of columns (the longest row).
  public var columnCount: Int { values.map(\.count).max() ?? 0 }

  /// The range actually mapped onto the colours.
  public var effectiveRange: ClosedRange<Double> {
    if let valueRange { return valueRange }
    let finite = values.joined().filter(\.isFinite)
    guard let lo = finite.min(), let hi = finite.max() else { return 0...1 }
    return lo...hi
  }

  private func value(_ row: Int, _ column: Int) -> Double {
    column < values[row].count ? values[row][column] : .nan
  }

  public func svg() -> String {
    let rows = rowCount, columns = columnCount
    let cell = cellSize ?? (340 / Double(max(rows, columns, 1))).clamped(to: 4...40)
    let tick = ChartMetrics.tickFontSize
    let labelFont = min(tick, max(7, cell * 0.9))
    let rowLabelWidth = rowLabels.isEmpty ? 0 : (rowLabels.map { SVGBuilder.textWidth($0, fontSize: labelFont) }.max() ?? 0) + 8
    let columnLabelWidth = columnLabels.map { SVGBuilder.textWidth($0, fontSize: labelFont) }.max() ?? 0
    let rotateColumns = columnLabelWidth > cell - 2
    let columnBand = columnLabels.isEmpty ? 4 : (rotateColumns ? columnLabelWidth * 0.71 + labelFont : labelFont + 10)
    // Rotated labels hang down-left of their column, so the first ones may need extra room.
    let hang = rotateColumns ? max(0, columnLabelWidth * 0.71 - cell / 2) : 0
    let left = ChartMetrics.padding + max(rowLabelWidth, hang)
    let top = (title?.isEmpty == false ? ChartMetrics.titleBand : 0) + ChartMetrics.padding
    let gridWidth = Double(columns) * cell, gridHeight = Double(rows) * cell

    let range = effectiveRange
    let colorbarTicks = colorbarTickValues(range)
    let tickLabels = colorbarTicks.map { NumberFormatting.compact($0, significantDigits: 3) }
    let tickWidth = tickLabels.map { SVGBuilder.textWidth($0, fontSize: tick) }.max() ?? 0
    let barX = left + gridWidth + 18, barWidth = 14.0
    let barHeight = max(gridHeight, 120)
    let hasBarLabel = colorbarLabel?.isEmpty == false
    let width = barX + barWidth + 6 + tickWidth + (hasBarLabel ? 22 : 0) + ChartMetrics.padding
    let height = top + max(gridHeight + columnBand, barHeight + 8) + ChartMetrics.padding
    let titleWidth = SVGBuilder.textWidth(title ?? "", fontSize: ChartMetrics.titleFontSize) + 2 * ChartMetrics.padding
    let totalWidth = max(width, titleWidth)

    var b = SVGBuilder()
    b.chartTitle(title, width: totalWidth)

    // Cells.
    let annotate = showsValues ?? (rows <= 12 && columns <= 12)
    let usesImage = cellRendering == .image || (cellRendering == .automatic && rows * columns > 4096)
    if usesImage && rows > 0 && columns > 0 {
      var pixels: [UInt8] = []
      pixels.reserveCapacity(rows * columns * 3)
      for r in 0..<rows {
        for c in 0..<columns {
          let color = colorScale.color(for: value(r, c), in: range)
          pixels += [color.red, color.green, color.blue]
        }
      }
      b.element(
        "image",
        [
          ("x", SVGBuilder.n(left)), ("y", SVGBuilder.n(top)), ("width", SVGBuilder.n(gridWidth)),
          ("height", SVGBuilder.n(gridHeight)), ("preserveAspectRatio", "none"),
          ("style", "image-rendering:pixelated"), ("class", "cells"),
          ("href", PNGEncoder.dataURI(width: columns, height: rows, colorType: .rgb, pixels: pixels)),
        ])
    } else {
      b.openGroup([("class", "cells"), ("shape-rendering", "crispEdges")])
      for r in 0..<rows {
        for c in 0..<columns {
          let v = value(r, c)
          let color = colorScale.color(for: v, in: range)
          let rowName = r < rowLabels.count ? rowLabels[r] : String(r)
          let columnName = c < columnLabels.count ? columnLabels[c] : String(c)
          b.rect(
            x: left + Double(c) * cell, y: top + Double(r) * cell, width: cell, height: cell,
            fill: color.hexString, extra: [("class", "cell")],
            tooltip: "\(rowName) × \(columnName): \(v.isNaN ? "NaN" : NumberFormatting.compact(v, significantDigits: 4))")
        }
      }
      b.closeGroup()
    }
    if annotate && cell >= 16 {
      let font = min(11, cell * 0.32)
      b.openGroup([("class", "annotations")])
      for r in 0..<rows {
        for c in 0..<columns {
          let v = value(r, c)
          guard !v.isNaN else { continue }
          let color = colorScale.color(for: v, in: range).contrastingTextColor
          b.text(
            NumberFormatting.compact(v, significantDigits: 2), x: left + (Double(c) + 0.5) * cell,
            y: top + (Double(r) + 0.5) * cell, size: font, anchor: .middle, fill: color.hexString, centered: true)
        }
      }
      b.closeGroup()
    }
    b.rect(x: left, y: top, width: gridWidth, height: gridHeight, fill: "none", stroke: "#888", strokeWidth: 0.5)

    // Group boxes along the diagonal.
    if !groups.isEmpty {
      b.openGroup([("class", "groups")])
      for group in groups {
        let lo = max(0, group.lowerBound)
        let hiRow = min(rows, group.upperBound), hiColumn = min(columns, group.upperBound)
        guard hiRow > lo, hiColumn > lo else { continue }
        let x = left + Double(lo) * cell, y = top + Double(lo) * cell
        let w = Double(hiColumn - lo) * cell, h = Double(hiRow - lo) * cell
        b.rect(x: x, y: y, width: w, height: h, fill: "none", stroke: "#ffffff", strokeWidth: 3.5)
        b.rect(x: x, y: y, width: w, height: h, fill: "none", stroke: "#e8175d", strokeWidth: 1.8)
      }
      b.closeGroup()
    }

    // Row labels.
    if !rowLabels.isEmpty {
      b.openGroup([("class", "row-labels")])
      for (r, label) in rowLabels.prefix(rows).enumerated() {
        b.text(label, x: left - 5, y: top + (Double(r) + 0.5) * cell, size: labelFont, anchor: .end, centered: true)
      }
      b.closeGroup()
    }
    // Column labels.
    if !columnLabels.isEmpty {
      b.openGroup([("class", "column-labels")])
      for (c, label) in columnLabels.prefix(columns).enumerated() {
        let x = left + (Double(c) + 0.5) * cell
        if rotateColumns {
          b.text(label, x: x, y: top + gridHeight + 6, size: labelFont, anchor: .end, rotation: -45, centered: true)
        } else {
          b.text(label, x: x, y: top + gridHeight + 5 + labelFont, size: labelFont, anchor: .middle)
        }
      }
      b.closeGroup()
    }

    // Colourbar: a vertical gradient built from thin rects (no gradients/defs needed).
    b.openGroup([("class", "colorbar"), ("shape-rendering", "crispEdges")])
    let steps = 64
    for i in 0..<steps {
      let t0 = Double(i) / Double(steps)
      let y = top + barHeight * (1 - t0 - 1 / Double(steps))
      b.rect(
        x: barX, y: y, width: barWidth, height: barHeight / Double(steps) + 0.5,
        fill: colorScale.color(at: t0 + 0.5 / Double(steps)).hexString)
    }
    b.closeGroup()
    b.rect(x: barX, y: top, width: barWidth, height: barHeight, fill: "none", stroke: "#888", strokeWidth: 0.5)
    let span = range.upperBound - range.lowerBound
    for (value, label) in zip(colorbarTicks, tickLabels) {
      let t = span > 0 ? (value - range.lowerBound) / span : 0.5
      let y = top + barHeight * (1 - t)
      b.line(x1: barX + barWidth, y1: y, x2: barX + barWidth + 4, y2: y, stroke: SVGBuilder.axisColor)
      b.text(label, x: barX + barWidth + 6, y: y, size: tick, fill: SVGBuilder.mutedTextColor, centered: true)
    }
    if let colorbarLabel, hasBarLabel {
      b.text(
        colorbarLabel, x: barX + barWidth + 6 + tickWidth + 14, y: top + barHeight / 2,
        size: ChartMetrics.axisLabelFontSize, anchor: .middle, rotation: -90)
    }
    return b.document(width: totalWidth, height: height, title: title, className: "heatmap")
  }

  /// Min and max plus nice ticks strictly inside them (kept away from the ends).
  private func colorbarTickValues(_ range: ClosedRange<Double>) -> [Double] {
    let lo = range.lowerBound, hi = range.upperBound
    guard hi > lo else { return [lo] }
    let inner = AxisTicks(covering: lo, hi, targetCount: 4).values.filter {
      $0 > lo + (hi - lo) * 0.08 && $0 < hi - (hi - lo) * 0.08
    }
    return [lo] + inner + [hi]
  }
}
