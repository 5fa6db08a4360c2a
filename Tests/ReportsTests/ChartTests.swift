import Foundation
import Testing

@testable import Reports

@Suite(.serialized) struct ChartTests {
  static let charts: [(String, any SVGChart)] = [
    ("heatmap", SampleCharts.heatmap()),
    ("cka", SampleCharts.ckaHeatmap()),
    ("line", SampleCharts.lineChart()),
    ("log-line", SampleCharts.lineChart(logarithmic: true)),
    ("bar", SampleCharts.barChart()),
    ("histogram", SampleCharts.histogram()),
    ("dendrogram", SampleCharts.dendrogram()),
    ("graph", SampleCharts.layeredGraph()),
    ("images", SampleCharts.imageGrid()),
    ("image-rects", SampleCharts.imageGrid(rendering: .rects)),
  ]

  @Test func everyChartIsWellFormedStandaloneSVG() {
    for (name, chart) in Self.charts {
      let svg = chart.svg()
      #expect(xmlError(in: svg) == nil, "\(name)")
      #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""), "\(name)")
      #expect(svg.contains(" viewBox=\"0 0 "), "\(name)")
      #expect(svg.hasSuffix("</svg>"), "\(name)")
      #expect(nonNumericGeometry(in: svg).isEmpty, "\(name) has non-finite coordinates")
    }
  }

  @Test func outputIsDeterministic() {
    for (name, chart) in Self.charts {
      #expect(chart.svg() == chart.svg(), "\(name)")
    }
    #expect(SampleCharts.heatmap().svg() == SampleCharts.heatmap().svg())
    #expect(SampleCharts.report().render() == SampleCharts.report().render())
  }

  @Test func heatmapDrawsOneCellPerEntry() {
    for (rows, columns) in [(1, 1), (3, 5), (10, 10), (40, 40)] {
      let values = (0..<rows).map { r in (0..<columns).map { c in Double(r * columns + c) } }
      let svg = Heatmap(values: values).svg()
      #expect(occurrences(of: "class=\"cell\"", in: svg) == rows * columns)
    }
  }

  @Test func largeHeatmapsEmbedOnePixelPerCell() {
    let values = (0..<100).map { r in (0..<80).map { c in r == c ? Double.nan : Double(r + c) } }
    let svg = Heatmap(values: values).svg()
    #expect(occurrences(of: "class=\"cell\"", in: svg) == 0)
    #expect(occurrences(of: "href=\"data:image/png;base64,", in: svg) == 1)
    #expect(xmlError(in: svg) == nil)
    let forced = Heatmap(values: [[1, 2], [3, .nan]], cellRendering: .image).svg()
    #expect(forced.contains("data:image/png;base64,"))
    #expect(occurrences(of: "class=\"cell\"", in: Heatmap(values: values, cellRendering: .rects).svg()) == 8000)
  }

  @Test func heatmapShowsNaNAsGreyAndAnnotatesSmallMatrices() {
    let heatmap = Heatmap(values: [[0, .nan], [1, 0.5]], rowLabels: ["a", "b"], columnLabels: ["a", "b"])
    let svg = heatmap.svg()
    #expect(svg.contains("fill=\"\(ColorScale.viridis.missingColor.hexString)\""))
    #expect(svg.contains("class=\"annotations\""))
    #expect(heatmap.effectiveRange == 0...1)
    let big = Heatmap(values: [[Double]](repeating: [Double](repeating: 1, count: 20), count: 20))
    #expect(!big.svg().contains("class=\"annotations\""))
  }

  @Test func heatmapRotatesLongColumnLabelsAndDrawsGroups() {
    let long = Heatmap(values: [[0, 1], [1, 0]], columnLabels: ["a-very-long-layer-name", "b"], groups: [0..<1, 1..<2])
    #expect(long.svg().contains("rotate(-45"))
    #expect(occurrences(of: "stroke=\"#e8175d\"", in: long.svg()) == 2)
    let short = Heatmap(values: [[0, 1], [1, 0]], columnLabels: ["a", "b"])
    #expect(!short.svg().contains("rotate("))
  }

  @Test func dendrogramLeafOrderFollowsSciPy() {
    // scipy.cluster.hierarchy.leaves_list of this linkage is [1, 0, 2, 3].
    let d = Dendrogram(linkage: [[2, 3, 0.1, 2], [0, 4, 0.3, 3], [1, 5, 0.6, 4]])
    #expect(d.leafOrder == [1, 0, 2, 3])
    #expect(Dendrogram(linkage: SampleCharts.linkage).leafOrder == [0, 1, 2, 3, 7, 4, 5, 6])
    #expect(Dendrogram(merges: []).leafOrder == [0])
    let invalid = Dendrogram(linkage: [[0, 0, 0.1, 2]])
    #expect(!invalid.isValid && invalid.leafOrder.isEmpty)
    #expect(xmlError(in: invalid.svg()) == nil)
  }

  @Test func dendrogramColoursClustersBelowTheCut() {
    let svg = SampleCharts.dendrogram().svg()
    // Cut at 0.6 leaves clusters {0,1,2,3} (merged at 0.55), {4,5,6} and {7}.
    #expect(svg.contains("class=\"cut\""))
    #expect(svg.contains(Palette.color(forCategory: 0).hexString))
    #expect(svg.contains(Palette.color(forCategory: 1).hexString))
    #expect(!svg.contains(Palette.color(forCategory: 2).hexString))
  }

  @Test func histogramBinsEveryFiniteValue() {
    let h = Histogram(values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, .nan], binCount: 5)
    #expect(h.bins.counts == [2, 2, 2, 2, 2])
    #expect(h.bins.edges.first == 0 && h.bins.edges.last == 9)
    let marked = Histogram(values: [1, 2, 3], binCount: 4, markers: [.init(value: 5, label: "true")])
    #expect(marked.bins.edges.last == 5)
    #expect(marked.bins.counts.reduce(0, +) == 3)
    #expect(Histogram(values: [2, 2, 2]).bins.counts.reduce(0, +) == 3)
    #expect(Histogram(values: (0..<1000).map(Double.init)).bins.counts.count == 11)
    let svg = marked.svg()
    #expect(svg.contains(">true</text>") && occurrences(of: "class=\"marker\"", in: svg) == 1)
  }

  @Test func lineChartHandlesLogScaleAndGaps() {
    let chart = LineChart(series: [.init(name: "a", x: [1, 2, 3, 4], y: [1, 0, 100, .nan])], isLogarithmicY: true)
    let svg = chart.svg()
    #expect(xmlError(in: svg) == nil)
    #expect(occurrences(of: "<polyline", in: svg) == 0)  // no two consecutive drawable points
    #expect(svg.contains(">100</text>") && svg.contains(">1</text>"))
    let gap = SampleCharts.lineChart().svg()
    #expect(occurrences(of: "<polyline", in: gap) == 3)  // train + validation split by the NaN
  }

  @Test func barChartDrawsEveryBarErrorBarAndReferenceLine() {
    let svg = SampleCharts.barChart().svg()
    #expect(occurrences(of: "class=\"bar\"", in: svg) == 12)
    #expect(svg.contains("chance (10 classes)"))
    #expect(svg.contains("stroke-dasharray=\"5 4\""))
  }

  @Test func layeredGraphDrawsAllNodesAndEdges() {
    let graph = SampleCharts.layeredGraph(nodesPerLayer: [300, 300, 10])
    let svg = graph.svg()
    #expect(occurrences(of: "class=\"node\"", in: svg) == 610)
    #expect(occurrences(of: "<line", in: svg) >= 240)
    #expect(svg.contains("unclustered"))
    #expect(xmlError(in: svg) == nil)
  }
}
