import Foundation
import Reports

/// The report section of a Local Interaction Basis analysis.
public enum InteractionBasisReportSection {
  /// Sizes, spectra, the interaction graph, edge counts, ablation curves and the Fourier view.
  public static func make(for result: InteractionBasisResult, title: String = "Local Interaction Basis") -> HTMLReport.Section {
    var blocks: [HTMLReport.Block] = []
    blocks.append(
      .paragraph(
        "Node layers \(result.nodeLayers.map(\.site).joined(separator: ", ")) over \(result.samples) inputs, float64. "
          + "LIB: C = U D^-1/2 V Lambda^1/2 from the Gram matrix G = U D U^T and M = E[J~^T J~] = V Lambda V^T, the Jacobian "
          + "of the next layer's LIB features with respect to the whitened features through one section; PCA: C = U. "
          + "Feature 0 is the constant direction (folded biases and the mean). Edges E_ij = E_x sum_t "
          + "(sum_s df'_{t,i}/df_{s,j} f_{s,j})^2. Threshold \(result.options.threshold)"
          + (result.options.relativeThreshold.map { ", relative \($0)" } ?? "")
          + (result.options.stochasticSources.map { "; \($0) stochastic sources over output positions" } ?? "") + "."))
    blocks.append(
      .table(
        header: ["node layer", "positions x width", "after Gram truncation (PCA size)", "LIB size", "Lambda_0"],
        rows: result.layers.map { layer in
          [
            layer.site, "\(layer.positions) x \(layer.width)",
            layer.gramEigenvalues.isEmpty ? "output" : "\(layer.sizeAfterGram)",
            layer.libSize.map(String.init) ?? "-", layer.constantLambda.map(ReportNumbers.format) ?? "-",
          ]
        }))
    let spectra = result.layers.compactMap { layer -> LineChart.Series? in
      guard let lambda = layer.lambda, !lambda.isEmpty else { return nil }
      return LineChart.Series(name: "Lambda \(layer.site)", values: lambda.filter { $0 > 0 })
    }
    let gram = result.layers.filter { !$0.gramEigenvalues.isEmpty }.map { layer in
      LineChart.Series(name: "D \(layer.site)", values: layer.gramEigenvalues.filter { $0 > 0 }, isDashed: true)
    }
    if !(spectra + gram).isEmpty {
      blocks.append(
        .chart(
          LineChart(series: spectra + gram, title: "Spectra", xLabel: "rank", yLabel: "eigenvalue", isLogarithmicY: true),
          caption: "Lambda (LIB, solid) and D (Gram matrix, dashed) per node layer, log scale."))
    }
    for kind in BasisKind.allCases { if let graph = interactionGraph(result, kind: kind) { blocks.append(graph) } }
    blocks.append(
      .table(
        header: ["section", "basis", "edges", "total strength", "constant node", "edges for 99%", "edges required"],
        rows: result.edges.map { e in
          let required = result.edgeAblations.first { $0.start == e.start && $0.basis == e.basis }?.edgesRequired
          return [
            "\(e.start) -> \(e.end)", e.basis.rawValue, "\(e.shape[0] * e.shape[1])", ReportNumbers.format(e.total),
            ReportNumbers.format(e.constantTotal),
            "\(e.edgesFor99Percent)", required.map(String.init) ?? "-",
          ]
        }))
    if let baseline = result.baseline {
      blocks.append(
        .paragraph(
          String(
            format: "Unablated: accuracy %.4f, loss %.4f. Ablations keep the top features (node) or strongest edges (edge); "
              + "the fewest within %.4g accuracy are found by a grid and bisection.", baseline.accuracy, baseline.loss,
            result.options.accuracyTolerance)))
      blocks += nodeAblationCharts(result)
      blocks += edgeAblationCharts(result)
    }
    if !result.fourier.isEmpty {
      blocks.append(
        .table(
          header: ["node layer", "basis", "feature", "best frequency k", "share of variance"],
          rows: result.fourier.map {
            [$0.site, $0.basis.rawValue, "\($0.feature)", "\($0.frequency)", ReportNumbers.format($0.share)]
          }))
    }
    blocks.append(
      .keyValues(
        result.seconds.sorted { $0.key < $1.key }.map { HTMLReport.KeyValue($0.key, String(format: "%.2f s", $0.value)) }))
    return HTMLReport.Section(heading: title, blocks: blocks, anchor: "lib")
  }

  /// The layered graph of the twelve most important features per node layer and the strongest edges between them.
  static func interactionGraph(_ result: InteractionBasisResult, kind: BasisKind) -> HTMLReport.Block? {
    let sections = result.edges.filter { $0.basis == kind }
    guard !sections.isEmpty else { return nil }
    let shown = 12
    var layers: [LayeredGraph.Layer] = []
    for (l, layer) in result.nodeLayers.enumerated() {
      let count = l < sections.count ? Swift.min(shown, sections[l].shape[1]) : Swift.min(shown, sections[l - 1].shape[0])
      layers.append(LayeredGraph.Layer(label: layer.site, count: count))
    }
    var edges: [LayeredGraph.Edge] = []
    for (l, section) in sections.enumerated() {
      let visible = section.strongest.filter {
        $0.input < layers[l].categories.count && $0.output < layers[l + 1].categories.count
      }
      for e in visible.prefix(40) {
        edges.append(
          LayeredGraph.Edge(
            from: LayeredGraph.Node(layer: l, index: e.input), to: LayeredGraph.Node(layer: l + 1, index: e.output),
            weight: e.strength))
      }
    }
    let graph = LayeredGraph(
      layers: layers, edges: edges, title: "Interaction graph (\(kind.rawValue))", sortsNodesByCategory: false)
    return .chart(
      graph,
      caption: "Node 0 of each internal layer is the constant feature; nodes are features in order of importance "
        + "(the first \(shown)), edges the 40 strongest among them per section, width by strength.")
  }

  static func nodeAblationCharts(_ result: InteractionBasisResult) -> [HTMLReport.Block] {
    let sites = result.nodeLayers.map(\.site).filter { site in result.nodeAblations.contains { $0.site == site } }
    let figures = sites.map { site in
      let series = result.nodeAblations.filter { $0.site == site }.map { curve in
        LineChart.Series(
          name: curve.basis.rawValue + (curve.fewestWithinTolerance.map { " (fewest \($0))" } ?? ""),
          x: curve.points.map { Double($0.kept) }, y: curve.points.map(\.accuracy), isDashed: curve.basis == .pca)
      }
      return HTMLReport.Figure(
        LineChart(
          series: series, title: "Node ablation: \(site)", xLabel: "directions kept", yLabel: "accuracy", width: 420, height: 300)
      )
    }
    return figures.isEmpty ? [] : [.figures(figures)]
  }

  static func edgeAblationCharts(_ result: InteractionBasisResult) -> [HTMLReport.Block] {
    let starts = result.nodeLayers.map(\.site).filter { site in result.edgeAblations.contains { $0.start == site } }
    let figures = starts.map { start in
      let runs = result.edgeAblations.filter { $0.start == start }
      let series = runs.map { run in
        LineChart.Series(
          name: run.basis.rawValue + (run.edgesRequired.map { " (required \($0))" } ?? ""),
          x: run.points.map { Double($0.kept) }, y: run.points.map(\.accuracy), isDashed: run.basis == .pca)
      }
      return HTMLReport.Figure(
        LineChart(
          series: series, title: "Edge ablation: \(start) -> \(runs[0].end)", xLabel: "edges kept", yLabel: "accuracy",
          showsMarkers: true, width: 420, height: 300))
    }
    return figures.isEmpty ? [] : [.figures(figures)]
  }
}
