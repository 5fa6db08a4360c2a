import Foundation
import Reports

/// The report section of `netatlas finetune`: shifted test accuracy over epochs per group, and a table.
public enum FinetuneReportSection {
  public static func make(for output: FinetuneOutput) -> HTMLReport.Section {
    func curve(_ v: FinetuneVariant) -> LineChart.Series {
      let evaluated = v.history.filter { $0.testAccuracy != nil }
      return LineChart.Series(
        name: v.name == "random" ? "random (whole network)" : v.name,
        x: [0] + evaluated.map { Double($0.epoch) }, y: [output.beforeShiftedTest.accuracy] + evaluated.map { $0.testAccuracy! },
        isDashed: v.group == nil)
    }
    let accuracy = LineChart(
      series: output.variants.map(curve), title: "Shifted task: test accuracy", xLabel: "epoch", yLabel: "accuracy",
      yRange: 0...1, width: 560, height: 320)
    let loss = LineChart(
      series: output.variants.map { v in
        .init(
          name: v.name == "random" ? "random (whole network)" : v.name, x: v.history.map { Double($0.epoch) },
          y: v.history.map(\.loss), isDashed: v.group == nil)
      }, title: "Shifted task: training loss", xLabel: "epoch", yLabel: "cross-entropy",
      isLogarithmicY: output.variants.allSatisfy { $0.history.allSatisfy { $0.loss > 0 } }, width: 560, height: 320)
    let rows = output.variants.map { v -> [String] in
      [
        v.name, v.layers.isEmpty ? "(whole network)" : v.layers.joined(separator: ", "),
        "\(v.trainedEntries) / \(v.availableEntries)",
        String(format: "%.4f", v.shiftedTrain.accuracy), String(format: "%.4f", v.shiftedTest.accuracy),
        String(format: "%.4f", v.shiftedTest.loss), String(format: "%.4f", v.originalTest.accuracy),
        String(format: "%.1f", v.seconds),
      ]
    }
    return HTMLReport.Section(
      heading: "Fine-tuning one layer group at a time",
      intro:
        "Each group of functionally similar layers is fine-tuned alone on a shifted task, with every other parameter "
        + "frozen and the same number of trainable entries for every group.",
      blocks: [
        .keyValues([
          .init("model", "\(output.model) (\(output.architecture))"),
          .init("task", output.task),
          .init("shift", "\(output.options.shift.rawValue): \(output.shiftDescription)"),
          .init("layer groups", "\(output.layersFile), \(output.options.grouping.rawValue) grouping"),
          .init("budget", "\(output.budget) entries per variant"),
          .init("budget rule", output.budgetRule),
          .init("training", output.trainingDescription),
          .init(
            "before fine-tuning",
            String(
              format: "shifted test accuracy %.4f, original test accuracy %.4f", output.beforeShiftedTest.accuracy,
              output.beforeOriginalTest.accuracy)),
          .init("time", String(format: "%.1f s", output.seconds)),
        ]),
        .figures([
          .init(accuracy, caption: "Test accuracy on the shifted labels during fine-tuning (epoch 0: before)."),
          .init(loss, caption: "Training loss on the shifted labels."),
        ]),
        .table(
          header: [
            "variant", "layers", "entries trained / owned", "shifted train acc.", "shifted test acc.", "shifted test loss",
            "original test acc. after", "seconds",
          ], rows: rows),
      ], anchor: "finetune")
  }
}
