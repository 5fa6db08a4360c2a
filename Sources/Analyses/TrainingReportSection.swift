import Networks
import Recipes
import Reports

/// The report section of one trained model: figures, training curves, per-class accuracy.
public enum TrainingReportSection {
  public static func make(for run: TrainingRun) -> HTMLReport.Section {
    let m = run.metrics
    let summary: [HTMLReport.KeyValue] = [
      .init("task", m.task),
      .init("architecture", m.architecture),
      .init("parameters", "\(m.parameterCount)"),
      .init("train / test samples", "\(run.data.train.count) / \(run.data.test.count)"),
      .init("train accuracy", String(format: "%.4f", m.trainAccuracy)),
      .init("test accuracy", String(format: "%.4f", m.testAccuracy)),
      .init("test loss", String(format: "%.4f", m.testLoss)),
      .init("epochs", "\(m.epochs)"),
      .init("training time", String(format: "%.1f s", m.seconds)),
      .init("seed", "\(m.seed)"),
    ]
    let epochs = run.history.map { Double($0.epoch) }
    let evaluated = run.history.filter { $0.testAccuracy != nil }
    let curves = LineChart(
      series: [
        .init(name: "train accuracy (running)", x: epochs, y: run.history.map(\.trainAccuracy)),
        .init(name: "test accuracy", x: evaluated.map { Double($0.epoch) }, y: evaluated.map { $0.testAccuracy! }),
      ], title: "Accuracy", xLabel: "epoch", yLabel: "accuracy", yRange: 0...1, width: 520, height: 300)
    let loss = LineChart(
      series: [.init(name: "training loss", x: epochs, y: run.history.map(\.loss))], title: "Training loss",
      xLabel: "epoch", yLabel: "cross-entropy", isLogarithmicY: run.history.allSatisfy { $0.loss > 0 }, width: 520, height: 300)
    var blocks: [HTMLReport.Block] = [.keyValues(summary)]
    if !run.history.isEmpty { blocks.append(.figures([.init(curves), .init(loss)])) }
    if m.perClassTestAccuracy.count <= 20 {
      blocks.append(
        .chart(
          BarChart(
            categories: m.perClassTestAccuracy.indices.map(String.init), values: m.perClassTestAccuracy,
            title: "Per-class test accuracy", yLabel: "accuracy",
            referenceLines: [.init(value: m.testAccuracy, label: "overall")]),
          caption: "Test accuracy on the samples of each class."))
    }
    return HTMLReport.Section(heading: "Model: \(m.task)", intro: run.recipe.summary, blocks: blocks)
  }
}
