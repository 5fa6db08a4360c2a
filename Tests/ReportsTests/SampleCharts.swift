import Foundation
import Reports

/// Deterministic pseudo-random numbers for test data.
struct SampleNumbers {
  var state: UInt64
  init(seed: UInt64) { state = seed &* 6_364_136_223_846_793_005 &+ 1 }
  mutating func next() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(1 << 53)
  }
  mutating func normal() -> Double {
    let u = max(next(), 1e-12), v = next()
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }
}

/// One chart of every kind, filled with plausible data, plus a report containing them all.
enum SampleCharts {
  static func heatmap(size: Int = 10, title: String = "Gromov-Wasserstein distance between layers") -> Heatmap {
    var numbers = SampleNumbers(seed: 7)
    let groups = [0..<3, 3..<7, 7..<size]
    func group(_ i: Int) -> Int { groups.firstIndex { $0.contains(i) } ?? 0 }
    let values = (0..<size).map { i in
      (0..<size).map { j -> Double in
        if i == j { return 0 }
        let base = group(i) == group(j) ? 0.15 : 0.6
        return base + 0.1 * abs(Double(i - j)) / Double(size) + 0.05 * numbers.next()
      }
    }
    var symmetric = values
    for i in 0..<size { for j in 0..<size { symmetric[i][j] = (values[i][j] + values[j][i]) / 2 } }
    symmetric[1][8] = .nan
    symmetric[8][1] = .nan
    let labels = (0..<size).map { i in i == 0 ? "input" : (i == size - 1 ? "logits" : "block\(i).mlp.fc\(i % 2 + 1)") }
    return Heatmap(
      values: symmetric, rowLabels: labels, columnLabels: labels, title: title, groups: groups,
      colorbarLabel: "GW distance")
  }

  static func ckaHeatmap() -> Heatmap {
    let size = 24
    let values = (0..<size).map { i in (0..<size).map { j in exp(-abs(Double(i - j)) / 5) } }
    return Heatmap(
      values: values, rowLabels: (0..<size).map { "L\($0)" }, columnLabels: (0..<size).map { "L\($0)" },
      title: "Linear CKA", valueRange: 0...1, groups: [0..<8, 8..<17, 17..<24], colorbarLabel: "CKA")
  }

  static func lineChart(logarithmic: Bool = false) -> LineChart {
    let epochs = 30
    let train: [Double] = (0..<epochs).map { (e: Int) -> Double in 2.3 * exp(-Double(e) / 6) + 0.05 }
    var withGap: [Double] = (0..<epochs).map { (e: Int) -> Double in
      let decay: Double = 2.3 * exp(-Double(e) / 7)
      return decay + 0.15 + 0.002 * Double(e)
    }
    withGap[12] = .nan
    return LineChart(
      series: [
        .init(name: "train loss", values: train),
        .init(name: "validation loss", values: withGap, isDashed: true),
      ],
      title: logarithmic ? "Loss (log scale)" : "Training curves", xLabel: "epoch", yLabel: "cross-entropy",
      isLogarithmicY: logarithmic, width: 540, height: 320)
  }

  static func barChart() -> BarChart {
    BarChart(
      categories: ["MLP-MNIST", "MLP-Fashion", "CNN-CIFAR10", "Transformer-modular-add"],
      series: [
        .init(name: "trained", values: [0.982, 0.893, 0.781, 0.999], errors: [0.002, 0.006, 0.011, 0.001]),
        .init(name: "pruned 50%", values: [0.975, 0.871, 0.702, 0.91], errors: [0.003, 0.008, 0.02, 0.04]),
        .init(name: "lesioned module", values: [0.61, 0.55, 0.31, 0.12], errors: [0.05, 0.04, 0.03, 0.06]),
      ],
      title: "Test accuracy", yLabel: "accuracy",
      referenceLines: [.init(value: 0.1, label: "chance (10 classes)")], yRange: 0...1, showsValues: true)
  }

  static func histogram() -> Histogram {
    var numbers = SampleNumbers(seed: 3)
    let shuffled = (0..<400).map { _ in 2.9 + 0.12 * numbers.normal() }
    return Histogram(
      values: shuffled,
      markers: [
        .init(value: 2.31, label: "true n-cut 2.31"), .init(value: 2.9, label: "shuffled mean", color: RGBColor(hex: 0x555555)),
      ],
      title: "n-cut of shuffled networks", xLabel: "n-cut")
  }

  /// Linkage for 8 leaves: {0,1}, {2,3}, {4,5,6}, then merged upward.
  static let linkage: [[Double]] = [
    [0, 1, 0.10, 2],
    [2, 3, 0.15, 2],
    [4, 5, 0.20, 2],
    [10, 6, 0.30, 3],
    [8, 9, 0.55, 4],
    [7, 11, 0.70, 4],
    [12, 13, 1.20, 8],
  ]

  static func dendrogram() -> Dendrogram {
    Dendrogram(
      linkage: linkage, leafLabels: ["conv1", "conv2", "conv3", "conv4", "fc1", "fc2", "fc3", "logits"],
      cutHeight: 0.6, title: "Layer groups (average linkage)")
  }

  static func layeredGraph(nodesPerLayer: [Int] = [64, 200, 120, 10]) -> LayeredGraph {
    var numbers = SampleNumbers(seed: 11)
    let clusters = 6
    let layers = nodesPerLayer.enumerated().map { l, count in
      LayeredGraph.Layer(
        label: l == 0 ? "input" : (l == nodesPerLayer.count - 1 ? "output" : "hidden \(l)"),
        categories: (0..<count).map { i in
          let c = i * clusters / count
          return numbers.next() < 0.1 ? -1 : c
        })
    }
    var edges: [LayeredGraph.Edge] = []
    for l in 0..<(layers.count - 1) {
      for _ in 0..<120 {
        let i = Int(numbers.next() * Double(nodesPerLayer[l]))
        let base = Double(i) / Double(nodesPerLayer[l])
        let j = min(nodesPerLayer[l + 1] - 1, max(0, Int((base + 0.08 * numbers.normal()) * Double(nodesPerLayer[l + 1]))))
        edges.append(.init(from: .init(layer: l, index: i), to: .init(layer: l + 1, index: j), weight: numbers.next()))
      }
    }
    return LayeredGraph(layers: layers, edges: edges, title: "Neuron modules (spectral clustering, k = 6)")
  }

  static func imageGrid(rendering: ImageGrid.Rendering = .png) -> ImageGrid {
    var images: [ImageGrid.Image] = []
    for k in 0..<10 {
      let size = 28
      var pixels: [Double] = []
      for y in 0..<size {
        for x in 0..<size {
          let dx = Double(x) - 13.5, dy = Double(y) - 13.5
          pixels.append(sin(dx * Double(k + 1) / 6) * cos(dy / 4) * exp(-(dx * dx + dy * dy) / 150))
        }
      }
      images.append(.init(width: size, height: size, pixels: pixels, caption: "neuron \(k * 17)"))
    }
    var rgb: [Double] = []
    for y in 0..<16 { for x in 0..<16 { rgb += [Double(x) / 15, Double(y) / 15, 0.5] } }
    images.append(.init(width: 16, height: 16, channels: 3, pixels: rgb, caption: "RGB gradient with a long caption"))
    return ImageGrid(images: images, title: "Feature visualizations (cluster 2)", columns: 6, rendering: rendering)
  }

  static func report() -> HTMLReport {
    HTMLReport(
      title: "NetAtlas report: <demo> & \"friends\"",
      generatedLine: "Generated 2025-01-01 00:00 UTC by netatlas (test)",
      summary: "Sample report exercising every block and chart type.\n\nSecond paragraph with <b>markup</b> that must stay text.",
      sections: [
        .init(
          heading: "Model: mlp-mnist", intro: "A 784-256-256-10 MLP trained for 20 epochs.",
          blocks: [
            .keyValues([.init("parameters", "269,322"), .init("test accuracy", "98.2%"), .init("<script>", "alert('x')")]),
            .subsection(
              .init(
                heading: "Layer similarity",
                blocks: [
                  .figures([
                    .init(heatmap(), caption: "GW distances; boxes mark layer groups."),
                    .init(ckaHeatmap(), caption: "Linear CKA."),
                  ]),
                  .chart(dendrogram(), caption: "Dendrogram of layers with the cut used for grouping."),
                ])),
            .subsection(
              .init(
                heading: "Neuron modules",
                blocks: [
                  .chart(layeredGraph(), caption: "Strongest 120 edges per layer pair."),
                  .chart(histogram()),
                  .table(
                    header: ["cluster", "size", "n-cut", "p-value"],
                    rows: [
                      ["0", "41", "0.31", "0.001"], ["1", "38", "0.42", "0.004"], ["2", "55"],
                    ]),
                  .images(imageGrid(), caption: "Inputs maximizing each neuron."),
                ])),
            .subsection(
              .init(
                heading: "Training",
                blocks: [
                  .figures([.init(lineChart()), .init(lineChart(logarithmic: true))])
                ])),
          ]),
        .init(
          heading: "Comparisons",
          blocks: [
            .chart(barChart(), caption: "Mean ± std over 5 seeds."),
            .preformatted("netatlas map --model mlp.safetensors --out report/\n  <done> & ok"),
            .paragraph("Duplicate headings get unique anchors."),
            .subsection(.init(heading: "Layer similarity")),
          ]),
      ])
  }
}
