import Datasets
import Foundation
import Networks
import NeuronModules
import Recipes
import Tensors

/// What `netatlas modules` computes; the defaults are the papers' (k = 12, 50 shuffles).
public struct ModulesOptions: Sendable {
  public enum GraphKind: String, CaseIterable, Codable, Sendable {
    case weights, correlation
  }

  public enum KernelNormChoice: String, CaseIterable, Codable, Sendable {
    /// Entrywise L1 norm of a kernel slice (the papers' text).
    case l1
    /// Induced 1-norm, the largest column sum (the authors' code).
    case induced

    public var norm: KernelNorm { self == .l1 ? .entrywiseL1 : .maxColumnSum }
  }

  public var graph: GraphKind = .weights
  /// Correlation graphs only; nil means global.
  public var scope: CorrelationScope?
  public var clusters: Int = 12
  /// Shuffled graphs of the clusterability test; 0 skips the test.
  public var shuffles: Int = 50
  public var seed: UInt64 = 0
  /// Leave the input and output units out of an MLP weight graph.
  public var excludeIO: Bool = false
  /// CNN weight graphs only; nil means l1.
  public var kernelNorm: KernelNormChoice?
  /// Inputs of a correlation graph; nil means all test inputs up to 5,000.
  public var samples: Int?
  /// Parallel workers of the shuffle test; nil means one per core.
  public var threads: Int?
  /// Random same-size unit sets each sub-cluster is compared with, in every sub-cluster test;
  /// 0 skips the lesion test (the coherence tests then use 19). nil means 19.
  public var lesionTrials: Int?
  /// Coherence tests of the sub-clusters; nil means dataset examples only.
  public var coherence: Set<CoherenceTest>?

  public init(
    graph: GraphKind = .weights, scope: CorrelationScope? = nil, clusters: Int = 12, shuffles: Int = 50, seed: UInt64 = 0,
    excludeIO: Bool = false, kernelNorm: KernelNormChoice? = nil, samples: Int? = nil, threads: Int? = nil,
    lesionTrials: Int? = nil, coherence: Set<CoherenceTest>? = nil
  ) {
    self.graph = graph
    self.scope = scope
    self.clusters = clusters
    self.shuffles = shuffles
    self.seed = seed
    self.excludeIO = excludeIO
    self.kernelNorm = kernelNorm
    self.samples = samples
    self.threads = threads
    self.lesionTrials = lesionTrials
    self.coherence = coherence
  }

  /// The sub-cluster coherence tests.
  public enum CoherenceTest: String, CaseIterable, Codable, Sendable {
    /// Feature visualization: objective reached and softmax entropy.
    case vis
    /// Label entropy of the top-10 activating test inputs.
    case examples
  }

  /// The random sets per sub-cluster of the papers (rank p-values in steps of 1/20).
  public static let defaultRandomSets = 19

  /// Whether the sub-cluster statistics options were given (rather than left to their defaults).
  public var requestsStatistics: Bool { lesionTrials != nil || coherence != nil }
  public var runsLesions: Bool { (lesionTrials ?? Self.defaultRandomSets) > 0 }
  public var coherenceTests: Set<CoherenceTest> { coherence ?? [.examples] }
  public var runsStatistics: Bool { runsLesions || !coherenceTests.isEmpty }
  public var randomSetCount: Int { lesionTrials.flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultRandomSets }

  /// The papers' cap on the inputs a correlation graph is computed over.
  public static let maximumCorrelationSamples = 5000
  /// Edges drawn per pair of layers in the report.
  public static let drawnEdgesPerBlock = 120

  /// Checks the options that do not depend on the model.
  public func validate(forAdjacencyFile: Bool) throws {
    guard clusters >= 2 else { throw AnalysisError("--clusters must be at least 2, got \(clusters)") }
    guard shuffles >= 0 else { throw AnalysisError("--shuffles must be >= 0, got \(shuffles)") }
    if let threads, threads < 1 { throw AnalysisError("threads must be at least 1, got \(threads)") }
    if let lesionTrials, lesionTrials < 0 { throw AnalysisError("--lesion-trials must be >= 0, got \(lesionTrials)") }
    if forAdjacencyFile {
      if requestsStatistics {
        throw AnalysisError("--lesion-trials and --coherence need a MODEL; an adjacency file has no units to lesion")
      }
      if graph != .weights { throw AnalysisError("--graph needs a MODEL; an adjacency file is the graph itself") }
      if excludeIO { throw AnalysisError("--exclude-io needs a MODEL; an adjacency file is used whole") }
      if kernelNorm != nil { throw AnalysisError("--kernel-norm needs a CNN MODEL") }
    }
    if graph == .weights {
      if scope != nil { throw AnalysisError("--scope applies to --graph correlation only") }
      if samples != nil { throw AnalysisError("--samples applies to --graph correlation only") }
    } else {
      if excludeIO { throw AnalysisError("--exclude-io applies to weight graphs; correlation graphs hold hidden units only") }
      if kernelNorm != nil { throw AnalysisError("--kernel-norm applies to weight graphs only") }
      if let samples, samples < 3 { throw AnalysisError("--samples must be at least 3, got \(samples)") }
    }
  }

}

/// `netatlas modules` as a function: build a graph of neurons, partition it by spectral
/// clustering, test its clusterability against shuffled graphs, and compare the clusters with
/// the planted parts of the planted-modules task. The demo calls ``run(network:data:source:options:)``.
public enum ModulesRun {
  /// Analyses a model file; its task (or `task`) supplies the inputs of a correlation graph and
  /// the planted parts.
  public static func run(model: URL, task: TrainingRecipe? = nil, cacheDirectory: URL? = nil, options: ModulesOptions) throws
    -> ModulesOutput
  {
    try options.validate(forAdjacencyFile: false)
    if ["npy", "npz"].contains(model.pathExtension.lowercased()) {
      throw AnalysisError("\(model.path) is a NumPy file, not a model; pass an adjacency matrix as --adjacency FILE")
    }
    let (network, metadata) = try ModelFile.read(model)
    let recipe = task ?? TrainingRecipe(rawValue: metadata.task)
    var data: TaskData<Float>?
    if let recipe {
      if options.graph == .correlation || recipe.task == .plantedModules || options.runsStatistics {
        data = try recipe.data(cacheDirectory: cacheDirectory)
      }
    } else if options.graph == .correlation || options.requestsStatistics {
      throw AnalysisError(
        "\(model.path) records task \"\(metadata.task)\", which is not built in; pass --task "
          + (options.graph == .correlation ? "(correlation graphs need its inputs)" : "(sub-cluster statistics need its data)"))
    }
    return try run(network: network, data: data, source: model.path, options: options)
  }

  /// Analyses a network. `data` is needed for a correlation graph (its test inputs); when it
  /// is the planted-modules task, hidden-unit clusters are compared with the planted parts.
  public static func run(network: Network<Float>, data: TaskData<Float>?, source: String, options: ModulesOptions) throws
    -> ModulesOutput
  {
    try options.validate(forAdjacencyFile: false)
    let started = Date()
    if let data, Array(data.test.inputs.shape.dropFirst()) != network.architecture.inputShape {
      throw AnalysisError(
        "\(source) expects inputs \(network.architecture.inputShape) but task \(data.name) gives \(Array(data.test.inputs.shape.dropFirst()))"
      )
    }
    let setup: GraphSetup
    do {
      switch options.graph {
      case .weights: setup = try weightSetup(network, options: options)
      case .correlation:
        guard let data else { throw AnalysisError("a correlation graph needs a task's inputs; pass --task") }
        setup = try correlationSetup(network, data: data, options: options)
      }
    } catch let error as NeuronModulesError {
      throw AnalysisError("\(source): \(error)")
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
  public static func imageShape(ofTask name: String) -> [Int]? {
    switch name {
    case BuiltInTask.digits.rawValue: [1, 8, 8]
    case BuiltInTask.mnist.rawValue: [1, 28, 28]
    default: nil
    }
  }

  /// Analyses a graph read from a `.npy` or `.npz` file (see ``NeuronGraph/init(adjacencyFile:symmetryTolerance:)``).
  public static func run(adjacency url: URL, options: ModulesOptions) throws -> ModulesOutput {
    try options.validate(forAdjacencyFile: true)
    let started = Date()
    let graph: NeuronGraph
    do { graph = try NeuronGraph(adjacencyFile: url) } catch let error as AdjacencyFileError {
      throw AnalysisError(error.description)
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
public struct StatisticsContext {
  public var network: Network<Float>
  /// The test split: lesions are evaluated on it, dataset examples drawn from it.
  public var data: LabeledData<Float>
  /// The image shape of flattened image inputs, for feature visualization.
  public var imageShape: [Int]?
}

/// What the planted-parts comparison needs.
public struct PlantedContext {
  public var task: PlantedModulesTask
  public var network: Network<Float>
  public var inputs: Tensor<Float>
}
