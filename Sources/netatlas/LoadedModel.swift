import ArgumentParser
import Datasets
import Foundation
import Networks
import Recipes

/// A model file with its built-in task's data, as `compress` and `finetune` use it.
struct LoadedModel {
  var path: String
  var network: Network<Float>
  var metadata: ModelMetadata
  var recipe: TrainingRecipe
  var data: TaskData<Float>

  /// Reads `path` and loads the data of `task` (default: the task recorded in the file).
  static func load(_ path: String, task: TrainingRecipe?, cacheDirectory: URL?) throws -> LoadedModel {
    let (network, metadata) = try ModelFile.read(URL(fileURLWithPath: path))
    guard let recipe = task ?? TrainingRecipe(rawValue: metadata.task) else {
      throw ValidationError("\(path) records task \"\(metadata.task)\", which is not built in; pass --task")
    }
    let data = try recipe.data(cacheDirectory: cacheDirectory)
    guard Array(data.test.inputs.shape.dropFirst()) == network.architecture.inputShape else {
      throw ValidationError(
        "\(path) expects inputs \(network.architecture.inputShape) but task \(recipe.rawValue) gives \(Array(data.test.inputs.shape.dropFirst()))"
      )
    }
    return LoadedModel(path: path, network: network, metadata: metadata, recipe: recipe, data: data)
  }
}
