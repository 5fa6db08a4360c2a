import Foundation

/// Grouped vertical bars: one group per category, one bar per series, with optional error bars,
/// value labels and a labelled horizontal reference line (e.g. chance accuracy).
public struct BarChart: SVGChart {
  /// One series of bars (one value per category).
  public struct Series: Hashable, Sendable {
    /// The legend name (empty for a single unnamed series).
    public var name: String
    /// One value per category; NaN leaves a gap.
    public var values: [Double]
    /// Optional symmetric error half-widths (e.g. standard deviations), one per category.
    public var errors: [Double]?
    /// An explicit colour; `nil` takes the palette colour of the series index.
    public var color: RGBColor?

    /// A series with one value (and optionally one error) per category.
    public init(name: String, values: [Double], errors: [Double]? = nil, color: RGBColor? = nil) {
      self.name = name
      self.values = values
      self.errors = errors
      self.color = color
    }
  }

  /// A horizontal line across the plot with a label at its right end.
  public struct ReferenceLine: Hashable, Sendable {
    /// The y value of the line.
    public var value: Double
    /// Text shown at the right end of the line.
    public var label: String
    /// The line and label colour.
    public var color: RGBColor

    /// A dashed reference line at `value`.
    public init(value: Double, label: String, color: RGBColor = RGBColor(hex: 0xD62728)) {
      self.value = value
      self.label = label
      self.color = color
    }
  }

  /// The category labels along the x axis, one bar group each.
  public var categories: [String]
  /// The series, one bar per category each, in legend order.
  public var series: [Series]
  /// A title drawn above the chart.
  public var title: String?
  /// The y-axis label.
  public var yLabel: String?
  /// Horizontal reference lines (e.g. chance level).
  public var referenceLines: [ReferenceLine]
  /// A fixed y range; `nil` fits zero, the values, error bars and reference lines.
  public var yRange: ClosedRange<Double>?
  /// Whether to print each value above its bar.
  public var showsValues: Bool
  /// The height of the plot area; the figure grows to fit the title, legend and labels.
  public var plotHeight: Double
  /// The figure width; `nil` grows with the number of bars.
  public var width: Double?

  /// A bar chart of `series` over `categories`.
  public init(
    categories: [String], series: [Series], title: String? = nil, yLabel: String? = nil,
    referenceLines: [ReferenceLine] = [], yRange: ClosedRange<Double>? = nil, showsValues: Bool = false,
    width: Double? = nil, plotHeight: Double = 220
  ) {
    self.categories = categories
    self.series = series
    self.title = title
    self.yLabel = yLabel
    self.referenceLines = referenceLines
    self.yRange = yRange
    self.showsValues = showsValues
    self.width = width
    self.plotHeight = plotHeight
  }

  /// A single-series bar chart.
  public init(
    categories: [String], values: [Double], errors: [Double]? = nil, title: String? = nil, yLabel: String? = nil,
    referenceLines: [ReferenceLine] = [], showsValues: Bool = false
  ) {
    self.init(
      categories: categories, series: [Series(name: "", values: values, errors: errors)], title: title,
      yLabel: yLabel, referenceLines: referenceLines, showsValues: showsValues)
  }

  public func svg() -> String {
    let groupCount = categories.count, seriesCount = max(1, series.count)
    var lows: [Double] = [0], highs: [Double] = [0]
    for s in series {
      for (i, v) in s.values.enumerated() where v.isFinite {
        let e = (s.errors.flatMap { i < $0.count ? $0[i] : nil } ?? 0)
        let err = e.isFinite ? abs(e) : 0
        lows.append(v - err)
        highs.append(v + err)
      }
    }
    for line in referenceLines where line.value.isFinite {
      lows.append(line.value)
      highs.append(line.value)
    }
    let ticks = AxisTicks(
      covering: yRange?.lowerBound ?? lows.min()!, yRange?.upperBound ?? highs.max()!,
      targetCount: max(2, Int(plotHeight / 40)))
    let yAxis = AxisLabels(linear: ticks)

    let barWidth = seriesCount == 1 ? 28.0 : max(8, 22 - Double(seriesCount) * 1.5)
    let groupWidth = Double(seriesCount) * barWidth + 18
    let labelWidths = categories.map { SVGBuilder.textWidth($0, fontSize: ChartMetrics.tickFontSize) }
    let maxLabel = labelWidths.max() ?? 0
    let rotate = maxLabel > groupWidth - 4
    let categoryBand = rotate ? maxLabel * 0.71 + 14 : 18

    // Value labels turn vertical when wider than their bar.
    let valueFont = 10.0
    let valueLabels = series.map { $0.values.map { NumberFormatting.compact($0, significantDigits: 3) } }
    let maxValueLabel = valueLabels.joined().map { SVGBuilder.textWidth($0, fontSize: valueFont) }.max() ?? 0
    let verticalValues = showsValues && maxValueLabel > barWidth + 2
    let valueBand = showsValues ? (verticalValues ? maxValueLabel + 6 : 14) : 0

    let showsLegend = series.count > 1 || series.contains { !$0.name.isEmpty }
    let refWidth = referenceLines.map { SVGBuilder.textWidth($0.label, fontSize: ChartMetrics.tickFontSize) }.max() ?? 0
    let hasYLabel = yLabel?.isEmpty == false
    let baseLeft = ChartMetrics.padding + (hasYLabel ? 20 : 0) + yAxis.maxLabelWidth + ChartMetrics.tickLength + 6
    let left = rotate ? max(baseLeft, ChartMetrics.padding + maxLabel * 0.71 - groupWidth / 2 + 4) : baseLeft
    let right = ChartMetrics.padding + (refWidth > 0 ? refWidth + 8 : 0)
    let plotWidth = width.map { $0 - left - right } ?? max(Double(groupCount) * groupWidth, 200)
    let totalWidth = max(
      width ?? left + plotWidth + right,
      SVGBuilder.textWidth(title ?? "", fontSize: ChartMetrics.titleFontSize) + 20)
    let legendEntries = series.enumerated().map { index, s in
      LegendEntry(name: s.name, color: (s.color ?? Palette.color(forCategory: index)).hexString)
    }
    let legendLayout = SVGBuilder.horizontalLegendLayout(
      showsLegend ? legendEntries.map(\.name) : [],
      maxWidth: totalWidth - left - ChartMetrics.padding)
    let titleBottom = (title?.isEmpty == false ? ChartMetrics.titleBand : 0) + ChartMetrics.padding
    let legendTop = titleBottom + 6
    let top = legendTop + legendLayout.height + (legendLayout.height > 0 ? 4 : 0) + max(valueBand, 6)
    let bottom = ChartMetrics.tickLength + categoryBand + ChartMetrics.padding
    let area = PlotArea(x: left, y: top, width: max(40, plotWidth), height: max(60, plotHeight))
    let height = top + area.height + bottom
    let yScale = AxisScale(domain: (ticks.lower, ticks.upper), range: (area.bottom, area.y))
    let slot = area.width / Double(max(1, groupCount))

    var b = SVGBuilder()
    b.chartTitle(title, width: totalWidth)
    if showsLegend {
      b.horizontalLegend(legendEntries, x: left, y: legendTop + 6, maxWidth: totalWidth - left - ChartMetrics.padding)
    }
    b.leftAxis(yAxis, scale: yScale, area: area, label: yLabel)

    let zeroY = yScale(min(max(0, ticks.lower), ticks.upper))
    b.openGroup([("class", "bars")])
    for (si, s) in series.enumerated() {
      let color = (s.color ?? Palette.color(forCategory: si)).hexString
      for (ci, v) in s.values.prefix(groupCount).enumerated() where v.isFinite {
        let x = area.x + slot * Double(ci) + (slot - Double(seriesCount) * barWidth) / 2 + Double(si) * barWidth
        let y = yScale(v)
        let label =
          (s.name.isEmpty ? "" : s.name + " · ") + categories[ci] + ": " + NumberFormatting.compact(v, significantDigits: 4)
        b.rect(
          x: x + 1, y: min(y, zeroY), width: barWidth - 2, height: abs(zeroY - y), fill: color,
          extra: [("class", "bar")], tooltip: label)
        var labelY = min(y, zeroY) - 4
        if let errors = s.errors, ci < errors.count, errors[ci].isFinite, errors[ci] != 0 {
          let e = abs(errors[ci])
          let cx = x + barWidth / 2, y1 = yScale(v - e), y2 = yScale(v + e)
          b.line(x1: cx, y1: y1, x2: cx, y2: y2, stroke: "#222", width: 1.2)
          b.line(x1: cx - 4, y1: y1, x2: cx + 4, y2: y1, stroke: "#222", width: 1.2)
          b.line(x1: cx - 4, y1: y2, x2: cx + 4, y2: y2, stroke: "#222", width: 1.2)
          labelY = min(labelY, y2 - 4)
        }
        if showsValues {
          if verticalValues {
            b.text(
              valueLabels[si][ci], x: x + barWidth / 2, y: labelY, size: valueFont, anchor: .start,
              fill: SVGBuilder.mutedTextColor, rotation: -90, centered: true)
          } else {
            b.text(
              valueLabels[si][ci], x: x + barWidth / 2, y: labelY, size: valueFont, anchor: .middle,
              fill: SVGBuilder.mutedTextColor)
          }
        }
      }
    }
    b.closeGroup()
    b.line(x1: area.x, y1: zeroY, x2: area.right, y2: zeroY, stroke: SVGBuilder.axisColor)

    b.openGroup([("class", "categories")])
    for (ci, name) in categories.enumerated() {
      let x = area.x + slot * (Double(ci) + 0.5)
      if rotate {
        b.text(name, x: x, y: area.bottom + 10, size: ChartMetrics.tickFontSize, anchor: .end, rotation: -45, centered: true)
      } else {
        b.text(name, x: x, y: area.bottom + ChartMetrics.tickLength + 12, size: ChartMetrics.tickFontSize, anchor: .middle)
      }
    }
    b.closeGroup()

    // Reference lines span the plot; their labels sit in the right margin.
    var lastLabelY = -Double.infinity
    for line in referenceLines.filter({ $0.value.isFinite }).sorted(by: { $0.value > $1.value }) {
      let y = yScale(line.value)
      b.line(
        x1: area.x, y1: y, x2: area.right + 4, y2: y, stroke: line.color.hexString, width: 1.5, dash: "5 4",
        extra: [("class", "reference")])
      let labelY = max(y, lastLabelY + 14)
      b.text(
        line.label, x: area.right + 7, y: labelY, size: ChartMetrics.tickFontSize, fill: line.color.hexString,
        centered: true)
      lastLabelY = labelY
    }
    return b.document(width: totalWidth, height: height, title: title, className: "bar-chart")
  }
}
