import Analyses
import ArgumentParser
import Foundation
import Networks
import Recipes

/// `netatlas finetune MODEL --layers DIR/layers.json --shift SHIFT --out DIR2`: fine-tunes one
/// layer group at a time on a shifted task, every group with the same parameter budget.
struct FinetuneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "finetune",
    abstract: "Fine-tune one layer group at a time on a shifted task; writes DIR/finetune.json and DIR/report.html.",
    discussion: """
      Reads the groups of a layers.json written by `netatlas layers` (the contiguous segmentation by \
      default). A group owns the parameters that compute its layers from the previous analysed layer. \
      Each group is fine-tuned alone (every other parameter frozen) on the shifted labels, training \
      the same number of entries: the smallest group's parameter count (--budget to lower it), a \
      seeded random subset in larger groups. A control trains as many entries drawn from the whole \
      network. Shifts: \(TaskShift.allCases.map(\.rawValue).joined(separator: ", ")). See docs/subnetworks.md.
      """)

  @Argument(help: "A model file written by `netatlas train`.")
  var model: String

  @Option(help: "The layers.json written by `netatlas layers` for this model.")
  var layers: String

  @Option(help: "The shifted task: \(TaskShift.allCases.map(\.rawValue).joined(separator: ", ")).")
  var shift: TaskShift

  @Option(help: "Which groups to fine-tune: contiguous (DP segmentation) or hierarchical (average linkage).")
  var grouping: LayerGroupingChoice = .contiguous

  @Option(help: "Epochs of fine-tuning per group.")
  var epochs: Int = 30

  @Option(help: "Learning rate (default: the model's training learning rate).")
  var learningRate: Double?

  @Option(help: "Trained parameter entries per group (default: the smallest group's parameter count).")
  var budget: Int?

  @Option(help: "Evaluate the shifted test split every this many epochs (default: epochs / 30).")
  var evaluationInterval: Int?

  @Option(help: "Seed of the label permutation, the entry masks and the batch order.")
  var seed: UInt64 = 0

  @Option(help: "The task (default: the one recorded in the model file).")
  var task: TrainingRecipe?

  @Option(help: "Cache folder for downloaded data.")
  var cache: String?

  @Option(help: "Output folder.")
  var out: String

  func validate() throws {
    if epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
      throw ValidationError("--learning-rate must be positive, got \(learningRate)")
    }
    if let budget, budget < 1 { throw ValidationError("--budget must be at least 1, got \(budget)") }
    if let evaluationInterval, evaluationInterval < 1 {
      throw ValidationError("--evaluation-interval must be at least 1, got \(evaluationInterval)")
    }
  }

  func run() throws {
    let groups = try LayerGroupsFile.read(layers)
    let loaded = try LoadedModel.load(model, task: task, cacheDirectory: cache.map { URL(fileURLWithPath: $0) })
    let shifted = try shift.apply(to: loaded.data, recipe: loaded.recipe, seed: seed)
    let options = FinetuneOptions(
      grouping: grouping, shift: shift, epochs: epochs, learningRate: learningRate, budget: budget, seed: seed,
      evaluationInterval: evaluationInterval)
    let output = try FinetuneRun.run(
      network: loaded.network, original: loaded.data, shifted: shifted, layers: groups, options: options, model: model,
      task: loaded.recipe.rawValue, training: loaded.metadata.training, progress: Console.log)
    let folder = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try JSONOutput.write(output, to: folder.appendingPathComponent("finetune.json"))
    try SubnetworkReport.write(to: folder, layersFile: layers)
    Console.log(
      "\(output.variants.count) variants, \(output.budget) entries each -> \(folder.appendingPathComponent("finetune.json").path)"
    )
  }
}
