import Foundation

/// Values binned into equal-width bins and drawn as bars, with optional labelled vertical
/// markers (e.g. the true n-cut among shuffled n-cuts).
public struct Histogram: SVGChart {
  /// A labelled vertical line at `value`.
  public struct Marker: Hashable, Sendable {
    /// The x position of the line.
    public var value: Double
    /// Text shown above the line.
    public var label: String
    /// The marker colour.
    public var color: RGBColor

    /// A marker at `value` labelled `label`.
    public init(value: Double, label: String, color: RGBColor = RGBColor(hex: 0xD62728)) {
      self.value = value
      self.label = label
      self.color = color
    }
  }

  /// Bin edges (`counts.count + 1` ascending values) and the count in each bin.
  public struct Bins: Hashable, Sendable {
    /// The `counts.count + 1` ascending bin boundaries.
    public var edges: [Double]
    /// The number of values in each bin (the last bin includes its upper edge).
    public var counts: [Int]
  }

  /// The values to bin (non-finite ones are ignored).
  public var values: [Double]
  /// The number of bins; `nil` uses Sturges' rule clamped to 5...50.
  public var binCount: Int?
  /// Labelled vertical lines (e.g. the true value among shuffled ones).
  public var markers: [Marker]
  /// A title drawn above the chart.
  public var title: String?
  /// The x-axis label.
  public var xLabel: String?
  /// The y-axis label.
  public var yLabel: String?
  /// The bar colour.
  public var color: RGBColor
  /// The figure width in points.
  public var width: Double
  /// The figure height in points.
  public var height: Double

  /// A histogram of the finite entries of `values`.
  public init(
    values: [Double], binCount: Int? = nil, markers: [Marker] = [], title: String? = nil, xLabel: String? = nil,
    yLabel: String? = "count", color: RGBColor = Palette.categorical[0], width: Double = 560, height: Double = 300
  ) {
    self.values = values
    self.binCount = binCount
    self.markers = markers
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.color = color
    self.width = width
    self.height = height
  }

  /// The bins over the range of the finite values (widened to include the markers).
  public var bins: Bins {
    let finite = values.filter(\.isFinite)
    let count = max(1, binCount ?? Int((log2(Double(max(finite.count, 1))) + 1).rounded(.up)).clamped(to: 5...50))
    let extents = finite + markers.map(\.value).filter(\.isFinite)
    var lo = extents.min() ?? 0, hi = extents.max() ?? 1
    if hi <= lo {
      let pad = lo == 0 ? 0.5 : abs(lo) * 0.05
      lo -= pad
      hi += pad
    }
    let binWidth = (hi - lo) / Double(count)
    var counts = [Int](repeating: 0, count: count)
    for v in finite {
      counts[min(count - 1, max(0, Int((v - lo) / binWidth)))] += 1
    }
    let edges = (0...count).map { $0 == count ? hi : lo + Double($0) * binWidth }
    return Bins(edges: edges, counts: counts)
  }

  public func svg() -> String {
    let bins = self.bins
    let xTicks = AxisTicks(covering: bins.edges.first!, bins.edges.last!, targetCount: max(2, Int(width / 90)))
    let maxCount = Double(max(1, bins.counts.max() ?? 1))
    var yTicks = AxisTicks(covering: 0, maxCount, targetCount: max(2, Int(height / 60)))
    if yTicks.step < 1 { yTicks = AxisTicks(covering: 0, maxCount, targetCount: Int(maxCount)) }
    let yAxis = AxisLabels(linear: yTicks)
    let xAxis = AxisLabels(linear: xTicks)

    // Marker labels sit in rows above the plot; a label moves down a row when it would overlap.
    let hasYLabel = yLabel?.isEmpty == false, hasXLabel = xLabel?.isEmpty == false
    let left = ChartMetrics.padding + (hasYLabel ? 20 : 0) + yAxis.maxLabelWidth + ChartMetrics.tickLength + 6
    let right = ChartMetrics.padding + 14
    let plotX = left, plotWidth = max(60, width - left - right)
    let xScale = AxisScale(domain: (xTicks.lower, xTicks.upper), range: (plotX, plotX + plotWidth))
    var rowEnds: [Double] = []
    var placements: [(marker: Marker, row: Int, x: Double, anchor: TextAnchor)] = []
    for marker in markers.filter({ $0.value.isFinite }).sorted(by: { $0.value < $1.value }) {
      let x = xScale(marker.value)
      let w = SVGBuilder.textWidth(marker.label, fontSize: ChartMetrics.tickFontSize)
      var anchor = TextAnchor.middle, start = x - w / 2
      if start < 2 { anchor = .start; start = x }
      if start + w > width - 2 { anchor = .end; start = x - w }
      let row = rowEnds.firstIndex { $0 < start - 6 } ?? rowEnds.count
      if row == rowEnds.count { rowEnds.append(start + w) } else { rowEnds[row] = start + w }
      placements.append((marker, row, x, anchor))
    }
    let markerBand = Double(rowEnds.count) * 15
    let top = (title?.isEmpty == false ? ChartMetrics.titleBand : 0) + ChartMetrics.padding + markerBand + 4
    let bottom = ChartMetrics.tickLength + 18 + (hasXLabel ? 20 : 0) + ChartMetrics.padding
    let area = PlotArea(x: plotX, y: top, width: plotWidth, height: max(60, height - top - bottom))
    let yScale = AxisScale(domain: (0, yAxis.values.last ?? 1), range: (area.bottom, area.y))

    var b = SVGBuilder()
    b.chartTitle(title, width: width)
    b.leftAxis(yAxis, scale: yScale, area: area, label: yLabel)
    b.bottomAxis(xAxis, scale: xScale, area: area, label: xLabel)
    b.openGroup([("class", "bins")])
    for (i, count) in bins.counts.enumerated() where count > 0 {
      let x0 = xScale(bins.edges[i]), x1 = xScale(bins.edges[i + 1])
      let y = yScale(Double(count))
      b.rect(
        x: x0, y: y, width: max(0.5, x1 - x0 - 0.6), height: area.bottom - y, fill: color.hexString,
        extra: [("fill-opacity", "0.85"), ("class", "bin")],
        tooltip:
          "[\(NumberFormatting.compact(bins.edges[i], significantDigits: 4)), \(NumberFormatting.compact(bins.edges[i + 1], significantDigits: 4))): \(count)"
      )
    }
    b.closeGroup()
    b.openGroup([("class", "markers")])
    let labelTop = ChartMetrics.padding + (title?.isEmpty == false ? ChartMetrics.titleBand : 0) + 11
    for p in placements {
      b.line(
        x1: p.x, y1: labelTop + Double(p.row) * 15 + 3, x2: p.x, y2: area.bottom, stroke: p.marker.color.hexString,
        width: 2, extra: [("class", "marker")])
    }
    for p in placements {
      b.text(
        p.marker.label, x: p.x, y: labelTop + Double(p.row) * 15, size: ChartMetrics.tickFontSize, anchor: p.anchor,
        fill: p.marker.color.hexString, weight: "600",
        extra: [("paint-order", "stroke"), ("stroke", "#ffffff"), ("stroke-width", "3")])
    }
    b.closeGroup()
    return b.document(width: width, height: height, title: title, className: "histogram")
  }
}
