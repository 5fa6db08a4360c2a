import Foundation
import InteractionBasis
import Recipes
import Reports

/// The analyses `netatlas demo` runs on its models: layer similarity (issue 4) and neuron
/// modules (issue 5), each written to the model's folder and added to the report.
public struct DemoAnalyses {
  /// One finished analysis: its report section and a line for the overview table.
  public struct Entry {
    public var analysis: String
    public var model: String
    public var seconds: Double
    public var headline: String
    public var section: HTMLReport.Section
  }

  /// Models compared layer by layer: algebraic, vision and language.
  public static let layerModels: [TrainingRecipe] = [.modularAdditionMLP, .mnistMLP, .leeLM]
  /// Models mapped by the Local Interaction Basis, with the inputs and ablations each gets in the demo.
  public static let interactionBasisModels: [TrainingRecipe: InteractionBasisDemoSettings] = [
    .modularAddition: InteractionBasisDemoSettings(samples: 1000, ablationSamples: 400, ablations: [.node, .edge]),
    .mnistMLP: InteractionBasisDemoSettings(samples: 500, ablationSamples: 500, ablations: [.node, .edge]),
    .leeLM: InteractionBasisDemoSettings(samples: 16, ablationSamples: 16, ablations: [.node], stochasticSources: 1),
  ]
  /// Models partitioned into neuron modules, each from its weights and its activations.
  public static let moduleModels: [TrainingRecipe] = [.plantedModulesMLP, .mnistMLP, .mnistCNN]

  public var folder: URL
  public var seed: UInt64
  /// Shuffles of the clusterability tests.
  public var shuffles: Int
  public private(set) var entries: [Entry] = []

  public init(folder: URL, seed: UInt64, shuffles: Int) {
    self.folder = folder
    self.seed = seed
    self.shuffles = shuffles
  }

  /// GW, CKA and RSM between the layers of `run`'s model on 512 test inputs.
  public mutating func layers(of run: TrainingRun) throws -> LayersOutput {
    let started = Date()
    let settings = LayersSettings(seed: seed)
    let representations = try LayersRun.representations(
      of: run.network, on: run.data.test, samples: Swift.min(512, run.data.test.count), settings: settings)
    let output = try LayersRun.analyze(representations, source: run.recipe.rawValue, settings: settings)
    let destination = folder.appendingPathComponent(run.recipe.rawValue)
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    try JSONOutput.write(output, to: destination.appendingPathComponent("layers.json"))
    var section = LayersReportSection.make(for: output)
    section.heading = "Layer similarity: \(run.recipe.rawValue)"
    record("layers", run, started, output.summary, section)
    return output
  }

  /// Compression and group-wise fine-tuning (a-plus-2b shift) of a residual model from the layer
  /// groups in its layers.json.
  public mutating func subnetworks(of run: TrainingRun) throws {
    let destination = folder.appendingPathComponent(run.recipe.rawValue)
    let groups = try LayerGroupsFile.read(destination.appendingPathComponent("layers.json").path)
    var started = Date()
    let compression = try CompressionRun.run(
      network: run.network, train: run.data.train, test: run.data.test, layers: groups,
      options: CompressionOptions(seed: seed), model: run.recipe.rawValue, task: run.recipe.rawValue,
      training: run.metadata.training)
    try JSONOutput.write(compression, to: destination.appendingPathComponent("compress.json"))
    let byGroups = compression.variants.first { $0.rule == .groups }
    record(
      "compress", run, started,
      String(
        format: "%d of %d blocks removed by the groups rule: test accuracy %.4f", compression.removedCount,
        compression.blocks.count, byGroups?.test.accuracy ?? .nan),
      CompressionReportSection.make(for: compression))
    started = Date()
    let shift = TaskShift.aPlus2b
    let shifted = try shift.apply(to: run.data, recipe: run.recipe, seed: seed)
    let finetune = try FinetuneRun.run(
      network: run.network, original: run.data, shifted: shifted, layers: groups,
      options: FinetuneOptions(shift: shift, epochs: 10, seed: seed), model: run.recipe.rawValue,
      task: run.recipe.rawValue, training: run.metadata.training)
    try JSONOutput.write(finetune, to: destination.appendingPathComponent("finetune.json"))
    record(
      "finetune (\(shift.rawValue))", run, started,
      finetune.variants.map { String(format: "%@ %.3f", $0.name, $0.shiftedTest.accuracy) }.joined(separator: ", "),
      FinetuneReportSection.make(for: finetune))
  }

  /// The weight graph and the correlation graph of `run`'s model, with the shuffle test and the
  /// sub-cluster statistics (lesions, dataset examples, and feature visualizations for the MNIST
  /// models' weight graphs).
  public mutating func modules(of run: TrainingRun) throws {
    for graph in ModulesOptions.GraphKind.allCases {
      let started = Date()
      var options = ModulesOptions()
      options.graph = graph
      options.seed = seed
      options.shuffles = shuffles
      options.lesionTrials = ModulesOptions.defaultRandomSets
      // Feature visualizations (images) for the MNIST models' weight-graph modules.
      if graph == .weights && run.recipe.task == .mnist { options.coherence = [.vis, .examples] }
      // The planted task has 4 parts; k = 4 asks whether the clusters are those parts.
      if run.recipe == .plantedModulesMLP { options.clusters = 4 }
      let output = try ModulesRun.run(
        network: run.network, data: run.data, source: run.recipe.rawValue, options: options)
      let destination = folder.appendingPathComponent(run.recipe.rawValue)
      try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
      try JSONOutput.write(output, to: destination.appendingPathComponent("modules-\(graph.rawValue).json"))
      var section = ModulesReportSection.make(for: output)
      section.heading = "Neuron modules: \(run.recipe.rawValue), \(graph.rawValue) graph"
      record("modules (\(graph.rawValue))", run, started, output.summary, section)
    }
  }

  /// LIB and PCA bases, interaction graphs and ablations of `run`'s model on training inputs.
  public mutating func interactionBasis(of run: TrainingRun) throws {
    guard let settings = Self.interactionBasisModels[run.recipe] else { return }
    let started = Date()
    let inputs = run.data.train.sampled(settings.samples, seed: seed)
    var options = InteractionBasisOptions(
      stochasticSources: settings.stochasticSources, seed: seed, ablations: settings.ablations,
      fourierModulus: run.recipe == .modularAddition ? run.data.classes : nil)
    if settings.stochasticSources != nil { options.batchSize = 8 }
    let result = try InteractionBasisAnalysis.run(
      network: run.network, inputs: inputs.inputs, evaluation: AblationData(inputs.prefix(settings.ablationSamples)),
      options: options
    ).result
    let destination = folder.appendingPathComponent(run.recipe.rawValue)
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    try JSONOutput.write(result, to: destination.appendingPathComponent("lib.json"))
    let section = InteractionBasisReportSection.make(for: result, title: "Local Interaction Basis: \(run.recipe.rawValue)")
    record("lib", run, started, result.summaryLines.joined(separator: "; "), section)
  }

  private mutating func record(
    _ analysis: String, _ run: TrainingRun, _ started: Date, _ headline: String, _ section: HTMLReport.Section
  ) {
    let seconds = Date().timeIntervalSince(started)
    entries.append(
      Entry(analysis: analysis, model: run.recipe.rawValue, seconds: seconds, headline: headline, section: section))
    Console.log(String(format: "%@ %@ (%.1f s): %@", analysis, run.recipe.rawValue, seconds, headline))
  }

  /// The overview table of the analyses.
  public var overview: HTMLReport.Section {
    HTMLReport.Section(
      heading: "Analyses",
      blocks: [
        .table(
          header: ["analysis", "model", "seconds", "result"],
          rows: entries.map { [$0.analysis, $0.model, String(format: "%.1f", $0.seconds), $0.headline] })
      ])
  }
}

/// How much of a model the demo's LIB run covers (the full analysis is `netatlas lib`).
public struct InteractionBasisDemoSettings: Sendable {
  public var samples: Int
  public var ablationSamples: Int
  public var ablations: [AblationKind]
  public var stochasticSources: Int? = nil
}
