import Analyses
import ArgumentParser
import Datasets
import Foundation
import Networks
import Recipes

/// `netatlas evaluate MODEL`: recomputes a model's metrics on its task.
struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate", abstract: "Print a model's accuracy and loss on its task.")

  @Argument(help: "A model file written by `netatlas train`.")
  var model: String

  @Option(help: "The task to evaluate on (default: the one recorded in the model file).")
  var task: TrainingRecipe?

  @Option(help: "Cache folder for downloaded data.")
  var cache: String?

  func run() throws {
    let url = URL(fileURLWithPath: model)
    let (network, metadata) = try ModelFile.read(url)
    guard let recipe = task ?? TrainingRecipe(rawValue: metadata.task) else {
      throw ValidationError("\(model) records task \"\(metadata.task)\", which is not built in; pass --task")
    }
    let seed = UInt64(metadata.metrics["seed"] ?? 0)
    let data = try recipe.data(cacheDirectory: cache.map { URL(fileURLWithPath: $0) })
    guard Array(data.train.inputs.shape.dropFirst()) == network.architecture.inputShape else {
      throw ValidationError(
        "\(model) expects inputs \(network.architecture.inputShape) but task \(recipe.rawValue) gives \(Array(data.train.inputs.shape.dropFirst()))"
      )
    }
    let train = try network.evaluate(data.train)
    let test = try network.evaluate(data.test)
    let metrics = RunMetrics(
      task: recipe.rawValue, trainAccuracy: train.accuracy, testAccuracy: test.accuracy, trainLoss: train.loss,
      testLoss: test.loss, perClassTestAccuracy: test.perClassAccuracy, seconds: metadata.metrics["seconds"] ?? 0,
      seed: seed, epochs: Int(metadata.metrics["epochs"] ?? 0), architecture: network.architecture.summary,
      parameterCount: network.parameters.values.reduce(0) { $0 + $1.count })
    print(String(decoding: try JSONOutput.encode(metrics), as: UTF8.self))
  }
}
