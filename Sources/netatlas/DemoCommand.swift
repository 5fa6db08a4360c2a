import Analyses
import ArgumentParser
import Foundation
import Networks
import Recipes
import Reports

/// `netatlas demo --out DIR`: the built-in pipeline end to end on defaults.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract:
      "Run the built-in pipeline on defaults: train or load the built-in models, compare their layers, find their neuron modules, map their Local Interaction Basis, and write DIR/report.html."
  )

  @Option(help: "Output folder.")
  var out: String = "demo-out"

  @Option(help: "Seed for every model.")
  var seed: UInt64 = 0

  @Option(help: "Models to train (comma-separated recipe names).")
  var models: String =
    "digits-mlp,digits-cnn,planted-modules-mlp,mnist-cnn,mnist-mlp,modular-addition,modular-addition-mlp,lee-lm"

  @Option(help: "Cache folder for downloaded data.")
  var cache: String?

  @Option(
    help:
      "Folder of committed checkpoints (written by `netatlas train`); recipes found there are loaded and re-evaluated instead of trained."
  )
  var checkpoints: String = "checkpoints"

  @Flag(help: "Train every model, ignoring checkpoints.")
  var retrain = false

  @Option(help: "Shuffled graphs per clusterability test.")
  var shuffles: Int = 50

  @Flag(help: "Only train or load the models; skip the layer and module analyses.")
  var skipAnalyses = false

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
    var analyses = DemoAnalyses(folder: folder, seed: seed, shuffles: shuffles)
    if !skipAnalyses {
      guard shuffles >= 0 else { throw ValidationError("--shuffles must be >= 0, got \(shuffles)") }
      for run in runs where DemoAnalyses.layerModels.contains(run.recipe) {
        _ = try analyses.layers(of: run)
        if run.recipe == .modularAdditionMLP {
          try analyses.subnetworks(of: run)
        }
      }
      for run in runs where DemoAnalyses.moduleModels.contains(run.recipe) { try analyses.modules(of: run) }
      for run in runs where DemoAnalyses.interactionBasisModels[run.recipe] != nil { try analyses.interactionBasis(of: run) }
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
        "Built-in models trained with the NetAtlas engine (or loaded from the committed checkpoints they were trained into), "
        + "then mapped: Gromov-Wasserstein similarity and groups of layers, neuron modules with their clusterability, "
        + "importance and coherence statistics, and the Local Interaction Basis against PCA. Each model folder holds model.safetensors, metrics.json and the analyses' JSON.",
      sections: [overview] + (analyses.entries.isEmpty ? [] : [analyses.overview]) + analyses.entries.map(\.section)
        + runs.map(TrainingReportSection.make))
    try report.write(to: folder.appendingPathComponent("report.html"))
    try JSONOutput.write(runs.map(\.metrics), to: folder.appendingPathComponent("demo.json"))
    Console.log("wrote \(folder.appendingPathComponent("report.html").path)")
  }
}
