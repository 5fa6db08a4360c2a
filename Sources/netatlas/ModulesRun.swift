import ArgumentParser
import Datasets
import Foundation
import Networks
import NeuronModules
import Recipes
import Tensors

/// What `netatlas modules` computes; the defaults are the papers' (k = 12, 50 shuffles).
struct ModulesOptions: Sendable {
  enum GraphKind: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    case weights, correlation
  }

  enum KernelNormChoice: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    /// Entrywise L1 norm of a kernel slice (the papers' text).
    case l1
    /// Induced 1-norm, the largest column sum (the authors' code).
    case induced

    var norm: KernelNorm { self == .l1 ? .entrywiseL1 : .maxColumnSum }
  }

  var graph: GraphKind = .weights
  /// Correlation graphs only; nil means global.
  var scope: CorrelationScope?
  var clusters = 12
  /// Shuffled graphs of the clusterability test; 0 skips the test.
  var shuffles = 50
  var seed: UInt64 = 0
  /// Leave the input and output units out of an MLP weight graph.
  var excludeIO = false
  /// CNN weight graphs only; nil means l1.
  var kernelNorm: KernelNormChoice?
  /// Inputs of a correlation graph; nil means all test inputs up to 5,000.
  var samples: Int?
  /// Parallel workers of the shuffle test; nil means one per core.
  var threads: Int?
  /// Random same-size unit sets each sub-cluster is compared with, in every sub-cluster test;
  /// 0 skips the lesion test (the coherence tests then use 19). nil means 19.
  var lesionTrials: Int?
  /// Coherence tests of the sub-clusters; nil means dataset examples only.
  var coherence: Set<CoherenceTest>?

  /// The sub-cluster coherence tests.
  enum CoherenceTest: String, CaseIterable, Codable, Sendable {
    /// Feature visualization: objective reached and softmax entropy.
    case vis
    /// Label entropy of the top-10 activating test inputs.
    case examples
  }

  /// The random sets per sub-cluster of the papers (rank p-values in steps of 1/20).
  static let defaultRandomSets = 19

  /// Whether the sub-cluster statistics options were given (rather than left to their defaults).
  var requestsStatistics: Bool { lesionTrials != nil || coherence != nil }
  var runsLesions: Bool { (lesionTrials ?? Self.defaultRandomSets) > 0 }
  var coherenceTests: Set<CoherenceTest> { coherence ?? [.examples] }
  var runsStatistics: Bool { runsLesions || !coherenceTests.isEmpty }
  var randomSetCount: Int { lesionTrials.flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultRandomSets }

  /// The papers' cap on the inputs a correlation graph is computed over.
  static let maximumCorrelationSamples = 5000
  /// Edges drawn per pair of layers in the report.
  static let drawnEdgesPerBlock = 120

  /// Checks the options that do not depend on the model.
  func validate(forAdjacencyFile: Bool) throws {
    guard clusters >= 2 else { throw ValidationError("--clusters must be at least 2, got \(clusters)") }
    guard shuffles >= 0 else { throw ValidationError("--shuffles must be >= 0, got \(shuffles)") }
    if let threads, threads < 1 { throw ValidationError("threads must be at least 1, got \(threads)") }
    if let lesionTrials, lesionTrials < 0 { throw ValidationError("--lesion-trials must be >= 0, got \(lesionTrials)") }
    if forAdjacencyFile {
      if requestsStatistics {
        throw ValidationError("--lesion-trials and --coherence need a MODEL; an adjacency file has no units to lesion")
      }
      if graph != .weights { throw ValidationError("--graph needs a MODEL; an adjacency file is the graph itself") }
      if excludeIO { throw ValidationError("--exclude-io needs a MODEL; an adjacency file is used whole") }
      if kernelNorm != nil { throw ValidationError("--kernel-norm needs a CNN MODEL") }
    }
    if graph == .weights {
      if scope != nil { throw ValidationError("--scope applies to --graph correlation only") }
      if samples != nil { throw ValidationError("--samples applies to --graph correlation only") }
    } else {
      if excludeIO { throw ValidationError("--exclude-io applies to weight graphs; correlation graphs hold hidden units only") }
      if kernelNorm != nil { throw ValidationError("--kernel-norm applies to weight graphs only") }
      if let samples, samples < 3 { throw ValidationError("--samples must be at least 3, got \(samples)") }
    }
  }
}

/// `netatlas modules` as a function: build a graph of neurons, partition it by spectral
/// clustering, test its clusterability against shuffled graphs, and compare the clusters with
/// the planted parts of the planted-modules task. The demo calls ``run(network:data:source:options:)``.
enum ModulesRun {
  /// Analyses a model file; its task (or `task`) supplies the inputs of a correlation graph and
  /// the planted parts.
  static func run(model: URL, task: TrainingRecipe? = nil, cacheDirectory: URL? = nil, options: ModulesOptions) throws
    -> ModulesOutput
  {
    try options.validate(forAdjacencyFile: false)
    if ["npy", "npz"].contains(model.pathExtension.lowercased()) {
      throw ValidationError("\(model.path) is a NumPy file, not a model; pass an adjacency matrix as --adjacency FILE")
    }
    let (network, metadata) = try ModelFile.read(model)
    let recipe = task ?? TrainingRecipe(rawValue: metadata.task)
    var data: TaskData<Float>?
    if let recipe {
      if options.graph == .correlation || recipe.task == .plantedModules || options.runsStatistics {
        data = try recipe.data(cacheDirectory: cacheDirectory)
      }
    } else if options.graph == .correlation || options.requestsStatistics {
      throw ValidationError(
        "\(model.path) records task \"\(metadata.task)\", which is not built in; pass --task "
          + (options.graph == .correlation ? "(correlation graphs need its inputs)" : "(sub-cluster statistics need its data)"))
    }
    return try run(network: network, data: data, source: model.path, options: options)
  }

  /// Analyses a network. `data` is needed for a correlation graph (its test inputs); when it
  /// is the planted-modules task, hidden-unit clusters are compared with the planted parts.
  static func run(network: Network<Float>, data: TaskData<Float>?, source: String, options: ModulesOptions) throws
    -> ModulesOutput
  {
    try options.validate(forAdjacencyFile: false)
    let started = Date()
    if let data, Array(data.test.inputs.shape.dropFirst()) != network.architecture.inputShape {
      throw ValidationError(
        "\(source) expects inputs \(network.architecture.inputShape) but task \(data.name) gives \(Array(data.test.inputs.shape.dropFirst()))"
      )
    }
    let setup: GraphSetup
    do {
      switch options.graph {
      case .weights: setup = try weightSetup(network, options: options)
      case .correlation:
        guard let data else { throw ValidationError("a correlation graph needs a task's inputs; pass --task") }
        setup = try correlationSetup(network, data: data, options: options)
      }
    } catch let error as NeuronModulesError {
      throw ValidationError("\(source): \(error)")
    }
    var planted: PlantedContext?
    if let data, data.name == BuiltInTask.plantedModules.rawValue {
      let task = PlantedModulesTask()
      if case .mlp = network.architecture, task.inputCount == data.featureCount {
        planted = PlantedContext(task: task, network: network, inputs: data.test.inputs)
      }
    }
    var statistics: StatisticsContext?
    if let data, options.runsStatistics {
      statistics = StatisticsContext(network: network, data: data.test, imageShape: Self.imageShape(ofTask: data.name))
    }
    return try analyze(
      setup, source: source, task: data?.name, architecture: network.architecture.summary, planted: planted,
      statistics: statistics, options: options, started: started)
  }

  /// The `[C, H, W]` image shape of a built-in image task's samples (which an MLP sees flattened).
  static func imageShape(ofTask name: String) -> [Int]? {
    switch name {
    case BuiltInTask.digits.rawValue: [1, 8, 8]
    case BuiltInTask.mnist.rawValue: [1, 28, 28]
    default: nil
    }
  }

  /// Analyses a graph read from a `.npy` or `.npz` file (see ``NeuronGraph/init(adjacencyFile:symmetryTolerance:)``).
  static func run(adjacency url: URL, options: ModulesOptions) throws -> ModulesOutput {
    try options.validate(forAdjacencyFile: true)
    let started = Date()
    let graph: NeuronGraph
    do { graph = try NeuronGraph(adjacencyFile: url) } catch let error as AdjacencyFileError {
      throw ValidationError(error.description)
    }
    let layers = graph.layerNodeIndices.count
    let setup = GraphSetup(
      kind: "adjacency", graph: graph,
      description: "adjacency matrix from \(url.lastPathComponent): \(graph.nodeCount) nodes"
        + (layers > 1 ? " in \(layers) layers" : ""),
      statuses: graph.liveStatuses,
      nullModel: layers > 1
        ? "edge weights permuted within each block of node pairs between two layers (and within a layer), zeros included"
        : "edge weights permuted over all node pairs, zeros included",
      shuffledGraph: { seed in graph.shufflingBlocks(seed: seed) }, notes: [])
    return try analyze(
      setup, source: url.path, task: nil, architecture: nil, planted: nil, statistics: nil, options: options,
      started: started)
  }
}

/// What the sub-cluster statistics need: the network and its evaluation data.
struct StatisticsContext {
  var network: Network<Float>
  /// The test split: lesions are evaluated on it, dataset examples drawn from it.
  var data: LabeledData<Float>
  /// The image shape of flattened image inputs, for feature visualization.
  var imageShape: [Int]?
}

/// What the planted-parts comparison needs.
struct PlantedContext {
  var task: PlantedModulesTask
  var network: Network<Float>
  var inputs: Tensor<Float>
}
