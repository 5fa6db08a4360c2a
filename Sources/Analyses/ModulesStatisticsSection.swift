import Foundation
import NeuronModules
import Reports

/// The sub-cluster part of the `netatlas modules` report: the combined tests, one row per
/// sub-cluster, and the feature visualizations as images.
public enum ModulesStatisticsSection {
  public static func make(for statistics: ModuleStatistics) -> HTMLReport.Section {
    var facts: [HTMLReport.KeyValue] = [
      .init(
        "sub-clusters",
        "\(statistics.subClusters.count), each against \(statistics.randomSetCount) random same-size sets of live units "
          + "of its layer"),
      .init("false discovery rate", format(statistics.falseDiscoveryRate) + " (Benjamini-Hochberg)"),
    ]
    if let lesion = statistics.lesion {
      facts.append(
        .init(
          "lesion baseline",
          "accuracy \(format(lesion.baselineAccuracy)), mean per-class \(format(lesion.baselineMeanPerClassAccuracy)) "
            + "on \(lesion.sampleCount) test inputs; lesion: \(lesion.target.rawValue)"))
    }
    if let visualization = statistics.featureVisualization {
      facts.append(
        .init(
          "feature visualization",
          "\(visualization.parameterization.rawValue) parameterization, \(visualization.steps) Adam steps at learning rate "
            + format(visualization.learningRate)))
    }
    var blocks: [HTMLReport.Block] = [.keyValues(facts)]
    if !statistics.combinedTests.isEmpty {
      blocks.append(
        .table(
          header: ["test", "sub-clusters", "Fisher X (dof)", "p", "BH-adjusted p", "significant", "mean effect factor"],
          rows: statistics.combinedTests.map { test in
            [
              test.kind.rawValue, "\(test.subClusterCount)", "\(format(test.fisherStatistic)) (\(test.degreesOfFreedom))",
              format(test.pValue), format(test.adjustedPValue), test.isSignificant ? "yes" : "no",
              format(test.meanEffectFactor),
            ]
          }))
    }
    blocks.append(.table(header: subClusterHeader(statistics), rows: statistics.subClusters.map { subClusterRow($0) }))
    if let grid = visualizations(statistics) {
      blocks.append(
        .images(
          grid,
          caption: "Inputs optimized to excite each sub-cluster (sum of |mean pre-activation| over its units); "
            + "each image is scaled to its own range."))
    }
    return HTMLReport.Section(
      heading: "Sub-clusters: importance and coherence",
      intro:
        "A sub-cluster is a cluster's units within one hidden layer. Each test ranks the sub-cluster among random "
        + "same-size sets of the layer's live units (rank p-values), Fisher's method combines them across sub-clusters, "
        + "and Benjamini-Hochberg corrects for the tests run. p-values per sub-cluster: raw, BH-adjusted in brackets.",
      blocks: blocks, anchor: "sub-clusters")
  }

  public static func subClusterHeader(_ statistics: ModuleStatistics) -> [String] {
    var header = ["layer", "cluster", "units (of live)"]
    if statistics.lesion != nil { header += ["accuracy drop", "random drop", "lesion p", "selectivity p"] }
    if statistics.datasetExamples != nil { header += ["example-label entropy", "examples p"] }
    if statistics.featureVisualization != nil { header += ["vis objective p", "vis entropy p"] }
    return header + ["labels"]
  }

  public static func subClusterRow(_ item: SubClusterStatistics) -> [String] {
    let sub = item.subCluster
    var row = [sub.layerName, "\(sub.cluster)", "\(sub.size) (\(sub.liveUnitCount))"]
    if let importance = item.importance {
      row += [
        format(importance.accuracyDrop), format(importance.meanRandomAccuracyDrop), test(importance.accuracyTest),
        test(importance.selectivityTest),
      ]
    }
    if let examples = item.datasetExamples { row += [format(examples.labelEntropy), test(examples.entropyTest)] }
    if let visualization = item.featureVisualization {
      row += [test(visualization.objectiveTest), test(visualization.entropyTest)]
    }
    return row + [item.labels.map(\.rawValue).joined(separator: ", ")]
  }

  /// The sub-clusters' visualizations as images, when the input is an image `[C, H, W]` with
  /// 1 or 3 channels.
  public static func visualizations(_ statistics: ModuleStatistics) -> ImageGrid? {
    guard let visualization = statistics.featureVisualization, visualization.imageShape.count == 3 else { return nil }
    let (c, h, w) = (visualization.imageShape[0], visualization.imageShape[1], visualization.imageShape[2])
    guard c == 1 || c == 3, h > 0, w > 0 else { return nil }
    let images: [ImageGrid.Image] = zip(statistics.subClusters, visualization.subClusters).compactMap { item, vis in
      guard vis.image.count == c * h * w else { return nil }
      // [C, H, W] to [H, W, C].
      var pixels = [Double](repeating: 0, count: c * h * w)
      for channel in 0..<c {
        for p in 0..<(h * w) { pixels[p * c + channel] = Double(vis.image[channel * h * w + p]) }
      }
      let sub = item.subCluster
      return ImageGrid.Image(
        width: w, height: h, channels: c, pixels: pixels,
        caption: "\(sub.layerName) c\(sub.cluster) (\(sub.size)) -> \(vis.predictedClass)")
    }
    return images.isEmpty ? nil : ImageGrid(images: images, title: "Feature visualizations")
  }

  public static func test(_ test: RankTest) -> String {
    "\(format(test.pValue)) (\(format(test.adjustedPValue)))" + (test.isSignificant ? " *" : "")
  }

  public static func format(_ value: Double) -> String { ReportNumbers.format(value) }
}
