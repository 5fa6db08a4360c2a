import Datasets
import Foundation
import Networks
import Recipes
import Tensors

/// A model file with its built-in task's data, as `compress` and `finetune` use it.
public struct LoadedModel {
  public var path: String
  public var network: Network<Float>
  public var metadata: ModelMetadata
  public var recipe: TrainingRecipe
  public var data: TaskData<Float>

  /// Reads `path` and loads the data of `task` (default: the task recorded in the file).
  public static func load(_ path: String, task: TrainingRecipe?, cacheDirectory: URL?) throws -> LoadedModel {
    let (network, metadata) = try ModelFile.read(URL(fileURLWithPath: path))
    guard let recipe = task ?? TrainingRecipe(rawValue: metadata.task) else {
      throw AnalysisError("\(path) records task \"\(metadata.task)\", which is not built in; pass --task")
    }
    let data = try recipe.data(cacheDirectory: cacheDirectory)
    guard Array(data.test.inputs.shape.dropFirst()) == network.architecture.inputShape else {
      throw AnalysisError(
        "\(path) expects inputs \(network.architecture.inputShape) but task \(recipe.rawValue) gives \(Array(data.test.inputs.shape.dropFirst()))"
      )
    }
    return LoadedModel(path: path, network: network, metadata: metadata, recipe: recipe, data: data)
  }
}
