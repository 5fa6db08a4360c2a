import Analyses
import ArgumentParser
import Foundation
import Networks
import Recipes

/// `netatlas compress MODEL --layers DIR/layers.json --out DIR2`: removes the residual blocks
/// inside groups of functionally similar layers and compares with removing as many blocks at
/// random or from the end.
struct CompressCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compress",
    abstract: "Remove residual blocks inside layer groups; writes DIR/compress.json and DIR/report.html.",
    discussion: """
      Reads the groups of a layers.json written by `netatlas layers` (the contiguous segmentation by \
      default). A layer is removable when it is the output of a residual block (layers.k.out of a \
      residual MLP, blocks.b.resid_post of a transformer): the residual stream then skips the block. \
      In each group the first layer is kept and the other removable layers are removed. The same \
      number of blocks is also removed at random (--random-seeds draws) and from the end. Each \
      variant is evaluated on the test split, and optionally healed by --heal-epochs of training \
      with the model's optimizer. See docs/subnetworks.md.
      """)

  @Argument(help: "A model file with residual blocks (residual MLP or transformer).")
  var model: String

  @Option(help: "The layers.json written by `netatlas layers` for this model.")
  var layers: String

  @Option(help: "Which groups decide the removals: contiguous (DP segmentation) or hierarchical (average linkage).")
  var grouping: LayerGroupingChoice = .contiguous

  @Option(help: "Number of random removals of the same number of blocks.")
  var randomSeeds: Int = 5

  @Option(help: "Epochs of healing fine-tune per variant (0: no healing).")
  var healEpochs: Int = 0

  @Option(help: "Learning rate of healing (default: the model's training learning rate).")
  var learningRate: Double?

  @Option(help: "First seed of the random removals (and of the healing batch order).")
  var seed: UInt64 = 0

  @Option(help: "The task whose splits are used (default: the one recorded in the model file).")
  var task: TrainingRecipe?

  @Option(help: "Cache folder for downloaded data.")
  var cache: String?

  @Option(help: "Output folder.")
  var out: String

  func validate() throws {
    if randomSeeds < 1 { throw ValidationError("--random-seeds must be at least 1, got \(randomSeeds)") }
    if healEpochs < 0 { throw ValidationError("--heal-epochs must be >= 0, got \(healEpochs)") }
    if let learningRate {
      if !(learningRate > 0 && learningRate.isFinite) {
        throw ValidationError("--learning-rate must be positive, got \(learningRate)")
      }
      if healEpochs == 0 { throw ValidationError("--learning-rate applies to healing; pass --heal-epochs too") }
    }
  }

  func run() throws {
    let groups = try LayerGroupsFile.read(layers)
    let loaded = try LoadedModel.load(model, task: task, cacheDirectory: cache.map { URL(fileURLWithPath: $0) })
    let output = try CompressionRun.run(
      network: loaded.network, train: loaded.data.train, test: loaded.data.test, layers: groups,
      options: CompressionOptions(
        grouping: grouping, randomSeeds: randomSeeds, healEpochs: healEpochs, seed: seed, learningRate: learningRate),
      model: model, task: loaded.recipe.rawValue, training: loaded.metadata.training, progress: Console.log)
    let folder = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try JSONOutput.write(output, to: folder.appendingPathComponent("compress.json"))
    try SubnetworkReport.write(to: folder, layersFile: layers)
    Console.log(
      "\(output.removedCount) of \(output.blocks.count) blocks removed by groups -> \(folder.appendingPathComponent("compress.json").path)"
    )
  }
}
