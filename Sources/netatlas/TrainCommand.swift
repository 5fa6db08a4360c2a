import Analyses
import ArgumentParser
import Datasets
import Foundation
import Networks
import Recipes

extension TrainingRecipe: ExpressibleByArgument {}

/// `netatlas train TASK --out DIR`: trains a built-in model and writes it with its metrics.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a built-in model; writes DIR/model.safetensors and DIR/metrics.json.",
    discussion: "Tasks: \(TrainingRecipe.allCases.map(\.rawValue).joined(separator: ", ")).")

  @Argument(help: "The built-in task: \(TrainingRecipe.allCases.map(\.rawValue).joined(separator: ", ")).")
  var task: TrainingRecipe

  @Option(help: "Output folder.")
  var out: String

  @Option(help: "Seed of the initialization and of the batch order.")
  var seed: UInt64 = 0

  @Option(help: "Number of epochs (default: the recipe's).")
  var epochs: Int?

  @Option(help: "Hidden widths for MLP tasks, comma-separated (e.g. 256,256,256,256).")
  var arch: String?

  @Option(help: "Cache folder for downloaded data (default $NETATLAS_CACHE or ~/.cache/netatlas).")
  var cache: String?

  func validate() throws {
    if let epochs, epochs <= 0 { throw ValidationError("--epochs must be positive, got \(epochs)") }
  }

  func run() throws {
    let outcome = try TrainingRun.run(
      recipe: task, seed: seed, epochs: epochs, hiddenWidths: try TrainingRun.parseWidths(arch),
      cacheDirectory: cache.map { URL(fileURLWithPath: $0) })
    let folder = URL(fileURLWithPath: out)
    try outcome.write(to: folder)
    Console.log(
      String(
        format: "%@: train accuracy %.4f, test accuracy %.4f, %.1f s -> %@", task.rawValue, outcome.metrics.trainAccuracy,
        outcome.metrics.testAccuracy, outcome.metrics.seconds, folder.appendingPathComponent("model.safetensors").path))
  }
}
