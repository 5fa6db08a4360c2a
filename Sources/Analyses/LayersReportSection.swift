import Foundation
import LayerSimilarity
import Reports

/// The report section of `netatlas layers`: GW and CKA heatmaps, the dendrogram, the groups.
public enum LayersReportSection {
  public static func make(for output: LayersOutput) -> HTMLReport.Section {
    let names = output.layers
    let contiguous = output.groups.contiguous
    let hierarchical = output.groups.hierarchical
    let boundaries = contiguous.groups.map { ($0.first!)..<($0.last! + 1) }
    let gwMap = Heatmap(
      values: output.gw, rowLabels: names, columnLabels: names, title: "Gromov-Wasserstein (contiguous groups boxed)",
      valueRange: 0...(output.gw.flatMap { $0 }.max().map { Swift.max($0, 1e-12) } ?? 1), groups: boundaries,
      colorbarLabel: "GW (POT convention)")
    let ckaMap = Heatmap(
      values: output.linearCKA, rowLabels: names, columnLabels: names, title: "Linear CKA", valueRange: 0...1,
      groups: boundaries, colorbarLabel: "CKA")
    let procrustesMap = Heatmap(
      values: output.procrustes, rowLabels: names, columnLabels: names, title: "Orthogonal Procrustes",
      valueRange: 0...(output.procrustes.flatMap { $0 }.max().map { Swift.max($0, 1e-12) } ?? 1), groups: boundaries,
      colorbarLabel: "Procrustes distance")
    var blocks: [HTMLReport.Block] = [
      .keyValues([
        .init("source", output.source),
        .init("layers", "\(names.count)"),
        .init("samples", "\(output.samples)"),
        .init("distance", "\(output.options.metric), normalized by \(output.options.normalize)"),
        .init(
          "solver",
          output.options.solver
            + (output.options.randomStarts.map { " (identity, product and \($0) random starts)" } ?? "")
            + (output.options.epsilon.map { String(format: " (epsilon %g)", $0) } ?? "")),
        .init("GW convention", output.options.gwConvention),
        .init("number of groups", output.options.groupCriterion),
        .init(
          "time",
          String(
            format: "%.2f s distances, %.2f s for %d pairs, %.2f s in all", output.timings.spacesSeconds,
            output.timings.pairsSeconds, output.pairs.count, output.timings.totalSeconds)),
      ]),
      .figures([
        .init(gwMap, caption: "GW distance between layers; boxes mark the contiguous segments."),
        .init(ckaMap, caption: "Linear CKA on the same samples (1 = equal up to rotation and scale)."),
        .init(
          procrustesMap,
          caption:
            "Orthogonal Procrustes distance 2 - 2 ||X^T Y||_* on centered, unit-norm representations (0 = equal up to rotation, shift and scale)."
        ),
      ]),
    ]
    if output.groups.linkage.count == names.count - 1, !output.groups.linkage.isEmpty {
      blocks.append(
        .chart(
          Dendrogram(
            linkage: output.groups.linkage, leafLabels: names, leafGroups: hierarchical.labels,
            cutHeight: output.groups.cutHeight, title: "Average linkage on GW", yLabel: "mean GW"),
          caption: "Average-linkage clustering of the GW matrix, cut where the mean silhouette is largest."))
    }
    var rows: [[String]] = []
    for grouping in [hierarchical, contiguous] {
      for (g, members) in grouping.groups.enumerated() {
        let others = grouping.betweenMeans[g].enumerated().filter { $0.offset != g }.map(\.element)
        rows.append([
          grouping.method.rawValue, "\(g + 1)", members.map { names[$0] }.joined(separator: ", "),
          grouping.withinMeans[g].map { format($0) } ?? "-",
          others.isEmpty ? "-" : format(others.reduce(0, +) / Double(others.count)),
          format(grouping.silhouette),
        ])
      }
    }
    blocks.append(
      .table(
        header: ["method", "group", "layers", "mean GW within", "mean GW to other groups", "silhouette"], rows: rows))
    return HTMLReport.Section(
      heading: "Layer groups (Gromov-Wasserstein)",
      intro:
        "Each layer's representation of the same samples is a metric-measure space; the GW distance compares two "
        + "layers' geometries without aligning neurons. Blocks of small distances are groups of layers that compute alike.",
      blocks: blocks, anchor: "layers")
  }

  public static func format(_ value: Double) -> String { ReportNumbers.format(value) }
}
