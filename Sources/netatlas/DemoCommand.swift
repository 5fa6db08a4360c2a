import ArgumentParser
import Foundation
import Networks
import Recipes
import Reports

/// `netatlas demo --out DIR`: the built-in pipeline end to end on defaults.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run the built-in pipeline on defaults: train the built-in models and write DIR/report.html.")

  @Option(help: "Output folder.")
  var out: String = "demo-out"

  @Option(help: "Seed for every model.")
  var seed: UInt64 = 0

  @Option(help: "Models to train (comma-separated recipe names).")
  var models: String = "digits-mlp,digits-cnn,planted-modules-mlp,mnist-cnn,modular-addition"

  @Option(help: "Cache folder for downloaded data.")
  var cache: String?

  @Option(
    help:
      "Folder of committed checkpoints (written by `netatlas train`); recipes found there are loaded and re-evaluated instead of trained."
  )
  var checkpoints: String = "checkpoints"

  @Flag(help: "Train every model, ignoring checkpoints.")
  var retrain = false

  func run() throws {
    let folder = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var recipes: [TrainingRecipe] = []
    for name in models.split(separator: ",") {
      guard let recipe = TrainingRecipe(rawValue: String(name)) else {
        throw ValidationError(
          "unknown model \"\(name)\"; choose from \(TrainingRecipe.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      recipes.append(recipe)
    }
    let start = Date()
    var runs: [TrainingRun] = []
    let cacheDirectory = cache.map { URL(fileURLWithPath: $0) }
    for recipe in recipes {
      let checkpoint = URL(fileURLWithPath: checkpoints).appendingPathComponent(recipe.rawValue)
      let run: TrainingRun
      if !retrain && FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent("model.safetensors").path) {
        run = try TrainingRun.load(recipe: recipe, from: checkpoint, cacheDirectory: cacheDirectory)
        Console.log(
          String(
            format: "%@: checkpoint %@ re-evaluated: test accuracy %.4f", recipe.rawValue, checkpoint.path,
            run.metrics.testAccuracy))
      } else {
        run = try TrainingRun.run(recipe: recipe, seed: seed, cacheDirectory: cacheDirectory)
        Console.log(
          String(format: "%@: test accuracy %.4f in %.1f s", recipe.rawValue, run.metrics.testAccuracy, run.metrics.seconds))
      }
      try run.write(to: folder.appendingPathComponent(recipe.rawValue))
      runs.append(run)
    }
    let seconds = Date().timeIntervalSince(start)
    let overview = HTMLReport.Section(
      heading: "Overview",
      blocks: [
        .table(
          header: ["model", "architecture", "train acc.", "test acc.", "seconds"],
          rows: runs.map {
            [
              $0.metrics.task, $0.metrics.architecture, String(format: "%.4f", $0.metrics.trainAccuracy),
              String(format: "%.4f", $0.metrics.testAccuracy), String(format: "%.1f", $0.metrics.seconds),
            ]
          })
      ])
    let report = HTMLReport(
      title: "NetAtlas demo",
      generatedLine: String(format: "netatlas demo, seed %llu, %.0f s in all", seed, seconds),
      summary:
        "Built-in models trained from scratch with the NetAtlas engine. Each model folder holds model.safetensors and metrics.json.",
      sections: [overview] + runs.map(TrainingReportSection.make))
    try report.write(to: folder.appendingPathComponent("report.html"))
    try JSONOutput.write(runs.map(\.metrics), to: folder.appendingPathComponent("demo.json"))
    Console.log("wrote \(folder.appendingPathComponent("report.html").path)")
  }
}
