import Analyses
import ArgumentParser
import Foundation
import InteractionBasis
import Networks
import Recipes
import Reports

/// `netatlas lib MODEL --out DIR`: the Local Interaction Basis and PCA bases of a model's node
/// layers, their interaction graphs and ablations.
struct LibCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lib",
    abstract: "Local Interaction Basis: bases, interaction graph, ablations; writes DIR/lib.json and DIR/report.html.",
    discussion: """
      For the node layers (default: each hidden layer or block output and the logits; for the \
      transformer the residual stream before attention, after attention, after the MLP, and the \
      logits), in float64 over N training inputs: the centred Gram matrix G = U D U^T, whitening, \
      M = E[J~^T J~] through one section from the next layer's final features (batched \
      vector-Jacobian products), M = V Lambda V^T and C = U D^-1/2 V Lambda^1/2; PCA C = U. Edges \
      E_ij = E_x sum_t (sum_s df'_{t,i}/df_{s,j} f_{s,j})^2 per section. Node ablation keeps the top \
      m features (mean-ablating the rest); edge ablation keeps the k strongest edges of a section \
      (rib's masked section) and bisects for the fewest within --tolerance accuracy. Also writes \
      DIR/lib-matrices.safetensors (every C, C+, mean, spectrum and dense edge matrix).
      """)

  @Argument(help: "A model file written by `netatlas train`.")
  var model: String

  @Option(help: "The task whose training split feeds the analysis (default: the one recorded in the model file).")
  var task: TrainingRecipe?

  @Option(help: "Comma-separated main-path sites in forward order (default: see above).")
  var nodeLayers: String?

  @Option(help: "Bases: lib, pca or both.")
  var basis: String = "both"

  @Option(help: "Training inputs to average over (default: all).")
  var samples: Int?

  @Option(help: "Samples per batch of the Jacobian passes.")
  var batch: Int = 256

  @Option(help: "Cotangent rows per backward pass.")
  var chunk: Int = 32

  @Option(help: "Eigenvalues of D and Lambda at or below this are dropped.")
  var threshold: Double = 1e-15

  @Option(help: "Also drop eigenvalues below this fraction of the largest.")
  var relativeThreshold: Double?

  @Option(help: "Random ±1 sources over output positions (sequence models) instead of every position.")
  var stochasticSources: Int?

  @Option(help: "Ablations: node, edge, both comma-separated, or none.")
  var ablations: String = "node,edge"

  @Option(help: "Score ablations on the first N inputs (default: all of them).")
  var ablationSamples: Int?

  @Option(help: "Accuracy tolerance of 'fewest directions' and 'edges required'.")
  var tolerance: Double = 0.001

  @Option(help: "Seed of input sampling and stochastic sources.")
  var seed: UInt64 = 0

  @Option(help: "Worker threads (0: all cores).")
  var threads: Int = 0

  @Option(help: "Cache folder for downloaded data.")
  var cache: String?

  @Option(help: "Output folder.")
  var out: String

  static func bases(_ text: String) throws -> [BasisKind] {
    switch text.lowercased() {
    case "both": return [.lib, .pca]
    case "lib": return [.lib]
    case "pca": return [.pca]
    default: throw ValidationError("--basis takes lib, pca or both; got \"\(text)\"")
    }
  }

  static func ablationKinds(_ text: String) throws -> [AblationKind] {
    let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    if names == ["none"] { return [] }
    return try names.map { name in
      guard let kind = AblationKind(rawValue: name) else {
        throw ValidationError("--ablations takes node, edge, both comma-separated, or none; got \"\(text)\"")
      }
      return kind
    }
  }

  func options(fourierModulus: Int?) throws -> InteractionBasisOptions {
    InteractionBasisOptions(
      nodeLayers: nodeLayers.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
      bases: try Self.bases(basis), batchSize: batch, cotangentChunk: chunk, threshold: threshold,
      relativeThreshold: relativeThreshold, stochasticSources: stochasticSources, seed: seed,
      ablations: try Self.ablationKinds(ablations), accuracyTolerance: tolerance, fourierModulus: fourierModulus,
      threads: threads)
  }

  func validate() throws {
    try options(fourierModulus: nil).validate()
    if let samples, samples < 1 { throw ValidationError("--samples must be at least 1, got \(samples)") }
    if let n = ablationSamples, n < 1 { throw ValidationError("--ablation-samples must be at least 1, got \(n)") }
  }

  func run() throws {
    let loaded = try LoadedModel.load(model, task: task, cacheDirectory: cache.map { URL(fileURLWithPath: $0) })
    let train = loaded.data.train.sampled(samples ?? loaded.data.train.count, seed: seed)
    let modular = loaded.recipe.rawValue.hasPrefix("modular-addition") && loaded.network.architecture.inputShape == [3]
    let options = try options(fourierModulus: modular ? loaded.data.classes : nil)
    let evaluation = options.ablations.isEmpty ? nil : AblationData(train.prefix(ablationSamples ?? train.count))
    Console.log("netatlas lib \(model): \(train.count) inputs of \(loaded.recipe.rawValue)")
    let run = try InteractionBasisAnalysis.run(
      network: loaded.network, inputs: train.inputs, evaluation: evaluation, options: options, progress: Console.log)
    let folder = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try JSONOutput.write(run.result, to: folder.appendingPathComponent("lib.json"))
    try run.writeMatrices(to: folder.appendingPathComponent("lib-matrices.safetensors"))
    let total = run.result.seconds.values.reduce(0, +)
    let report = HTMLReport(
      title: "NetAtlas Local Interaction Basis",
      generatedLine: String(format: "netatlas lib %@, %.1f s", model, total),
      sections: [InteractionBasisReportSection.make(for: run.result)])
    try report.write(to: folder.appendingPathComponent("report.html"))
    for line in run.result.summaryLines { Console.log(line) }
    Console.log("-> \(folder.appendingPathComponent("lib.json").path)")
  }
}
