import Foundation
import Reports

/// The report section of `netatlas compress`: test accuracy and loss per removal rule, and every variant.
public enum CompressionReportSection {
  public static func make(for output: CompressionOutput) -> HTMLReport.Section {
    let summaries = output.summaries
    let categories = summaries.map { s in
      s.rule == .random ? "random (\(s.variants) seeds)" : s.rule.rawValue
    }
    let healed = summaries.allSatisfy { $0.healedAccuracyMean != nil }
    var accuracySeries = [
      BarChart.Series(name: "after removal", values: summaries.map(\.accuracyMean), errors: summaries.map(\.accuracySD))
    ]
    var lossSeries = [BarChart.Series(name: "after removal", values: summaries.map(\.lossMean), errors: summaries.map(\.lossSD))]
    if healed {
      accuracySeries.append(
        .init(
          name: "after healing", values: summaries.map { $0.healedAccuracyMean! }, errors: summaries.map { $0.healedAccuracySD! }
        ))
      lossSeries.append(
        .init(name: "after healing", values: summaries.map { $0.healedLossMean! }, errors: summaries.map { $0.healedLossSD! }))
    }
    let accuracy = BarChart(
      categories: categories, series: accuracySeries, title: "Test accuracy", yLabel: "accuracy", yRange: 0...1,
      showsValues: true)
    let loss = BarChart(
      categories: categories, series: lossSeries, title: "Test loss", yLabel: "cross-entropy", showsValues: true)
    var facts: [HTMLReport.KeyValue] = [
      .init("model", "\(output.model) (\(output.architecture))"),
      .init("task", output.task),
      .init("layer groups", "\(output.layersFile), \(output.options.grouping.rawValue) grouping"),
      .init("groups", output.groups.map { "[" + $0.joined(separator: " ") + "]" }.joined(separator: " ")),
      .init("blocks removed per rule", "\(output.removedCount) of \(output.blocks.count) residual blocks"),
      .init("rule", output.ruleDescription),
      .init("healing", output.healingDescription ?? "none"),
      .init("time", String(format: "%.1f s", output.seconds)),
    ]
    if output.removedCount == 0 {
      facts.append(.init("note", "every group has a single removable layer, so no rule removes anything"))
    }
    let original = output.variants.first { $0.rule == .original }?.test.accuracy
    let summaryRows = summaries.map { s -> [String] in
      [
        s.rule.rawValue, "\(s.variants)", pm(s.accuracyMean, s.accuracySD, s.variants), pm(s.lossMean, s.lossSD, s.variants),
        s.healedAccuracyMean.map { pm($0, s.healedAccuracySD!, s.variants) } ?? "-",
        s.healedLossMean.map { pm($0, s.healedLossSD!, s.variants) } ?? "-",
      ]
    }
    let variantRows = output.variants.map { v -> [String] in
      [
        v.rule.rawValue, v.seed.map(String.init) ?? "-",
        v.removedLayers.isEmpty ? "none" : v.removedLayers.joined(separator: ", "), "\(v.parameterCount)",
        String(format: "%.4f", v.test.accuracy), String(format: "%.4f", v.test.loss),
        v.healed.map { String(format: "%.4f", $0.accuracy) } ?? "-", v.healed.map { String(format: "%.4f", $0.loss) } ?? "-",
      ]
    }
    return HTMLReport.Section(
      heading: "Compression by layer groups",
      intro:
        "Residual blocks inside a group of functionally similar layers are removed (the residual stream skips them), "
        + "keeping each group's first layer, and the result is compared with removing as many blocks at random or from the end.",
      blocks: [
        .keyValues(facts),
        .figures([
          .init(accuracy, caption: "Mean test accuracy per rule; the random bar shows mean and sample SD over seeds."),
          .init(loss, caption: "Mean test cross-entropy per rule."),
        ]),
        .table(
          header: ["rule", "variants", "test accuracy", "test loss", "healed accuracy", "healed loss"], rows: summaryRows),
        .chart(
          BarChart(
            categories: output.singleRemovals.map(\.layer), values: output.singleRemovals.map(\.test.accuracy),
            title: "One block removed", yLabel: "test accuracy",
            referenceLines: original.map { [.init(value: $0, label: "nothing removed")] } ?? []),
          caption: "Test accuracy with only the block ending at each layer removed (the group of each layer: "
            + output.blocks.compactMap { b in b.group.map { "\(b.outputSite) in group \($0 + 1)" } }.joined(separator: ", ")
            + ")."),
        .table(
          header: ["rule", "seed", "removed", "parameters", "test acc.", "test loss", "healed acc.", "healed loss"],
          rows: variantRows),
      ], anchor: "compress")
  }

  /// "mean ± sd", or just the mean for one variant.
  public static func pm(_ mean: Double, _ sd: Double, _ count: Int) -> String {
    count > 1 ? String(format: "%.4f ± %.4f", mean, sd) : String(format: "%.4f", mean)
  }
}
