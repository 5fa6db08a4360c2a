import Foundation
import Reports

/// The report section of `netatlas modules`: the network drawn as layers of neurons coloured by
/// cluster with its strongest edges, the shuffle histogram with the true n-cut marked, clusters
/// per layer, and the comparison with planted parts when there are some.
public enum ModulesReportSection {
  public static func make(for output: ModulesOutput) -> HTMLReport.Section {
    var facts: [HTMLReport.KeyValue] = [
      .init("source", output.source + (output.architecture.map { " (\($0))" } ?? "")),
      .init("graph", output.graphDescription),
      .init(
        "nodes",
        "\(output.liveNodeCount) clustered of \(output.nodeCount); \(output.edgeCount) edges; "
          + "\(output.componentCount) connected component\(output.componentCount == 1 ? "" : "s")"),
      .init(
        "clustering",
        "k = \(output.options.clusters), \(output.eigenSolver) eigen-solver, k-means with "
          + "\(output.kMeansInitializations) k-means++ starts, seed \(output.options.seed)"),
      .init("n-cut", format(output.normalizedCut) + " (0 = no edge leaves a cluster; at most k)"),
    ]
    if let shuffle = output.shuffle {
      facts.append(
        .init(
          "shuffle test",
          "\(shuffle.normalizedCuts.count) shuffles: mean n-cut \(format(shuffle.mean)) ± \(format(shuffle.standardDeviation)), "
            + "z = \(format(shuffle.z)), p = \(format(shuffle.p))"))
      facts.append(.init("null model", shuffle.nullModel))
    } else if let reason = output.shuffleSkipped {
      facts.append(.init("shuffle test", "skipped (\(reason))"))
    }
    if let planted = output.planted {
      facts.append(
        .init(
          "planted parts",
          "ARI of \(planted.hiddenUnits) hidden units vs planted parts \(format(planted.hiddenARI))"
            + planted.layerARI.map { "; \($0.layer) \(format($0.ari))" }.joined()
            + (planted.inputARI.map { "; input units \(format($0))" } ?? "")
            + (planted.inputAndHiddenARI.map { "; input and hidden \(format($0))" } ?? "")
            + "; purity \(format(planted.purity)); mean dominant-part share \(format(planted.meanDominantShare))"))
      facts.append(.init("planted assignment", planted.definition))
    }
    facts.append(
      .init(
        "time",
        String(
          format: "%.2f s graph, %.2f s clustering, %.2f s shuffles, %.2f s sub-cluster statistics, %.2f s in all",
          output.timings.graphSeconds, output.timings.clusteringSeconds, output.timings.shuffleSeconds,
          output.timings.statisticsSeconds, output.timings.totalSeconds)))
    var blocks: [HTMLReport.Block] = [.keyValues(facts)]
    blocks.append(.chart(network(output), caption: networkCaption(output)))
    if let shuffle = output.shuffle {
      blocks.append(
        .chart(
          Histogram(
            values: shuffle.normalizedCuts,
            markers: [
              .init(value: output.normalizedCut, label: "true n-cut \(format(output.normalizedCut))"),
              .init(value: shuffle.mean, label: "shuffled mean", color: RGBColor(hex: 0x555555)),
            ],
            title: "n-cut of \(shuffle.normalizedCuts.count) shuffled graphs", xLabel: "normalized cut"),
          caption: "Lower is more clusterable. p = \(format(shuffle.p)) is the rank of the true n-cut among the shuffles."))
    }
    blocks.append(
      .subsection(
        HTMLReport.Section(
          heading: "Clusters per layer",
          intro: "Units of each layer in each cluster; cut / volume is the cluster's term of the n-cut.",
          blocks: [.table(header: ["cluster"] + output.layers.map(\.name) + ["size", "cut / volume"], rows: clusterRows(output))])
      ))
    if let planted = output.planted {
      blocks.append(
        .subsection(
          HTMLReport.Section(
            heading: "Clusters and planted parts",
            intro: "Hidden units of each cluster by planted part (the input part each unit depends on most).",
            blocks: [
              .table(
                header: ["cluster"] + (0..<planted.parts).map { "part \($0)" } + ["hidden units"],
                rows: planted.contingency.enumerated().compactMap { c, row in
                  let total = row.reduce(0, +)
                  return total == 0 ? nil : ["\(c)"] + row.map(String.init) + ["\(total)"]
                })
            ])))
    }
    if let statistics = output.subClusterStatistics {
      blocks.append(.subsection(ModulesStatisticsSection.make(for: statistics)))
    } else if let reason = output.subClusterStatisticsSkipped {
      blocks.append(.paragraph("Sub-cluster importance and coherence statistics: skipped (\(reason))."))
    }
    if !output.notes.isEmpty { blocks.append(.paragraph(output.notes.joined(separator: "\n\n"))) }
    return HTMLReport.Section(
      heading: "Neuron modules (spectral clustering)",
      intro:
        "Neurons are the nodes of a weighted graph; spectral clustering partitions them into k clusters and the "
        + "normalized cut says how few edges leave the clusters. The shuffle test compares it with graphs whose weights "
        + "were shuffled.",
      blocks: blocks, anchor: "modules")
  }

  /// The layers as columns of nodes coloured by cluster, with the strongest edges.
  public static func network(_ output: ModulesOutput) -> LayeredGraph {
    var column: [Int: Int] = [:]
    for (c, layer) in output.layers.enumerated() { column[layer.index] = c }
    var categories = output.layers.map { _ in [Int]() }
    var position = [LayeredGraph.Node](repeating: .init(layer: 0, index: 0), count: output.nodes.count)
    for (i, node) in output.nodes.enumerated() {
      let c = column[node.layer] ?? 0
      position[i] = .init(layer: c, index: categories[c].count)
      categories[c].append(node.cluster)
    }
    return LayeredGraph(
      layers: zip(output.layers, categories).map { LayeredGraph.Layer(label: $0.name, categories: $1) },
      edges: output.strongestEdges.map { .init(from: position[$0.from], to: position[$0.to], weight: $0.weight) },
      title: "Clusters by layer (k = \(output.options.clusters))", categoryNames: [-1: "left out"])
  }

  public static func networkCaption(_ output: ModulesOutput) -> String {
    "Nodes coloured by cluster, each layer sorted by cluster; grey nodes are left out (no edges or constant values). "
      + "Lines: the \(ModulesOptions.drawnEdgesPerBlock) strongest edges of each pair of layers, "
      + "coloured when both ends share a cluster."
  }

  /// One row per non-empty cluster (units per layer, size, cut / volume), then the left-out nodes.
  public static func clusterRows(_ output: ModulesOutput) -> [[String]] {
    var rows: [[String]] = output.clusters.filter { $0.size > 0 }.map { cluster in
      ["\(cluster.label)"] + output.layers.map { "\($0.clusterSizes[cluster.label])" }
        + ["\(cluster.size)", format(cluster.normalizedCut)]
    }
    let leftOut = output.layers.map { $0.width - $0.liveUnits }
    if leftOut.contains(where: { $0 > 0 }) {
      rows.append(["left out"] + leftOut.map(String.init) + ["\(leftOut.reduce(0, +))", "-"])
    }
    return rows
  }

  public static func format(_ value: Double) -> String { ReportNumbers.format(value) }
}
