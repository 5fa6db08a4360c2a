import Foundation

/// Named series of (x, y) points drawn as lines, with nice-tick axes, axis labels, a legend and
/// an optional logarithmic y axis.
public struct LineChart: SVGChart {
  /// One named line.
  public struct Series: Hashable, Sendable {
    /// The legend name.
    public var name: String
    /// The points in drawing order; NaN/infinite y values break the line.
    public var points: [ChartPoint]
    /// An explicit colour; `nil` takes the palette colour of the series index.
    public var color: RGBColor?
    /// Whether to draw the line dashed (e.g. for validation curves).
    public var isDashed: Bool

    /// A series from points.
    public init(name: String, points: [ChartPoint], color: RGBColor? = nil, isDashed: Bool = false) {
      self.name = name
      self.points = points
      self.color = color
      self.isDashed = isDashed
    }

    /// A series from parallel x and y arrays (the shorter length wins).
    public init(name: String, x: [Double], y: [Double], color: RGBColor? = nil, isDashed: Bool = false) {
      self.init(name: name, points: zip(x, y).map { ChartPoint(x: $0, y: $1) }, color: color, isDashed: isDashed)
    }

    /// A series with y values at x = `start`, `start` + 1, … (e.g. per-epoch losses from epoch 1).
    public init(name: String, values: [Double], start: Double = 1, color: RGBColor? = nil, isDashed: Bool = false) {
      self.init(
        name: name, points: values.enumerated().map { ChartPoint(x: start + Double($0.offset), y: $0.element) },
        color: color, isDashed: isDashed)
    }
  }

  /// The lines, in legend order.
  public var series: [Series]
  /// A title drawn above the chart.
  public var title: String?
  /// The x-axis label.
  public var xLabel: String?
  /// The y-axis label.
  public var yLabel: String?
  /// Logarithmic y axis (non-positive values are skipped).
  public var isLogarithmicY: Bool
  /// A fixed y range; `nil` fits the data.
  public var yRange: ClosedRange<Double>?
  /// Whether to mark each point; `nil` does so when every series has at most 40 points.
  public var showsMarkers: Bool?
  /// The figure width in points.
  public var width: Double
  /// The figure height in points.
  public var height: Double

  /// A line chart of `series`.
  public init(
    series: [Series], title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
    isLogarithmicY: Bool = false, yRange: ClosedRange<Double>? = nil, showsMarkers: Bool? = nil,
    width: Double = 640, height: Double = 360
  ) {
    self.series = series
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.isLogarithmicY = isLogarithmicY
    self.yRange = yRange
    self.showsMarkers = showsMarkers
    self.width = width
    self.height = height
  }

  private func isDrawable(_ p: ChartPoint) -> Bool {
    p.x.isFinite && p.y.isFinite && (!isLogarithmicY || p.y > 0)
  }

  public func svg() -> String {
    let points = series.flatMap(\.points).filter(isDrawable)
    let xs = points.map(\.x), ys = points.map(\.y)
    let xTicks = AxisTicks(covering: xs.min() ?? 0, xs.max() ?? 1, targetCount: max(2, Int(width / 90)))
    let xAxis = AxisLabels(linear: xTicks)
    let yAxis: AxisLabels
    let yDomain: (Double, Double)
    let yLo = yRange?.lowerBound ?? ys.min() ?? 0, yHi = yRange?.upperBound ?? ys.max() ?? 1
    if isLogarithmicY {
      let bounds = AxisTicks.logarithmicBounds(covering: yLo, yHi)
      yDomain = (bounds.lower, bounds.upper)
      yAxis = AxisLabels(logarithmic: bounds.lower, bounds.upper)
    } else {
      let ticks = AxisTicks(covering: yLo, yHi, targetCount: max(2, Int(height / 60)))
      yDomain = (ticks.lower, ticks.upper)
      yAxis = AxisLabels(linear: ticks)
    }

    let names = series.map(\.name)
    let legendWidth = SVGBuilder.legendWidth(names)
    let hasYLabel = yLabel?.isEmpty == false, hasXLabel = xLabel?.isEmpty == false
    let left = ChartMetrics.padding + (hasYLabel ? 20 : 0) + yAxis.maxLabelWidth + ChartMetrics.tickLength + 6
    let top = (title?.isEmpty == false ? ChartMetrics.titleBand : 0) + ChartMetrics.padding
    let lastXLabel = xAxis.labels.last.map { SVGBuilder.textWidth($0, fontSize: ChartMetrics.tickFontSize) / 2 } ?? 0
    let right = max(lastXLabel, 8) + (legendWidth > 0 ? legendWidth + 12 : 0) + ChartMetrics.padding
    let bottom = ChartMetrics.tickLength + 18 + (hasXLabel ? 20 : 0) + ChartMetrics.padding
    let area = PlotArea(x: left, y: top, width: max(60, width - left - right), height: max(60, height - top - bottom))
    let xScale = AxisScale(domain: (xTicks.lower, xTicks.upper), range: (area.x, area.right))
    let yScale = AxisScale(domain: yDomain, range: (area.bottom, area.y), isLogarithmic: isLogarithmicY)

    var b = SVGBuilder()
    b.chartTitle(title, width: width)
    b.leftAxis(yAxis, scale: yScale, area: area, label: yLabel)
    b.bottomAxis(xAxis, scale: xScale, area: area, label: xLabel)

    let markers = showsMarkers ?? series.allSatisfy { $0.points.count <= 40 }
    b.openGroup([("class", "series")])
    for (index, s) in series.enumerated() {
      let color = (s.color ?? Palette.color(forCategory: index)).hexString
      let dash: [(String, String)] = s.isDashed ? [("stroke-dasharray", "6 4")] : []
      // Split into runs of drawable points.
      var run: [(Double, Double)] = []
      func flush(_ b: inout SVGBuilder) {
        if run.count > 1 { b.polyline(run, stroke: color, width: 2, extra: dash) }
        run.removeAll()
      }
      for p in s.points {
        if isDrawable(p) {
          run.append((xScale(p.x), yScale(p.y.clamped(to: yDomain.0...yDomain.1))))
        } else {
          flush(&b)
        }
      }
      flush(&b)
      if markers {
        for p in s.points where isDrawable(p) {
          b.circle(
            cx: xScale(p.x), cy: yScale(p.y.clamped(to: yDomain.0...yDomain.1)), r: 2.6, fill: color,
            tooltip:
              "\(s.name): (\(NumberFormatting.compact(p.x, significantDigits: 4)), \(NumberFormatting.compact(p.y, significantDigits: 4)))"
          )
        }
      }
    }
    b.closeGroup()
    let entries = series.enumerated().map { index, s in
      LegendEntry(
        name: s.name, color: (s.color ?? Palette.color(forCategory: index)).hexString,
        swatch: .line(dashed: s.isDashed))
    }
    b.legend(entries, x: area.right + 16, y: area.y + 8)
    return b.document(width: width, height: height, title: title, className: "line-chart")
  }
}
