import Datasets
import Foundation
import Networks
import NeuronModules
import Tensors

/// A graph ready for clustering, with its null model.
public struct GraphSetup: Sendable {
  /// "weights", "correlation" or "adjacency".
  public var kind: String
  public var graph: NeuronGraph
  public var description: String
  public var statuses: [String]
  public var nullModel: String
  /// Builds the shuffled graph of one shuffle seed.
  public var shuffledGraph: @Sendable (UInt64) throws -> NeuronGraph
  public var notes: [String]
  public var seconds = 0.0
  public var scope: CorrelationScope?
  public var samples: Int?
  public var kernelNorm: ModulesOptions.KernelNormChoice?
}

extension NeuronGraph {
  /// "live" or "isolated" per node.
  public var liveStatuses: [String] {
    var statuses = [String](repeating: "isolated", count: nodeCount)
    for i in liveNodes { statuses[i] = "live" }
    return statuses
  }
}

extension ModulesRun {
  public static func weightSetup(_ network: Network<Float>, options: ModulesOptions) throws -> GraphSetup {
    let started = Date()
    let build: @Sendable (Network<Float>) throws -> NeuronGraph
    let description: String
    var kernelNorm: ModulesOptions.KernelNormChoice?
    switch network.architecture {
    case .mlp(let architecture):
      if options.kernelNorm != nil { throw AnalysisError("--kernel-norm applies to CNN models; this is an MLP") }
      if options.excludeIO && architecture.widths.count <= 3 {
        throw AnalysisError(
          "--exclude-io leaves only the hidden layer of this \(architecture.widths.count - 2)-hidden-layer MLP, whose units share no weights: no graph"
        )
      }
      let graphOptions = MLPGraphOptions(includeInputUnits: !options.excludeIO, includeOutputUnits: !options.excludeIO)
      build = { try NeuronGraph(mlpWeightsOf: $0, options: graphOptions) }
      description =
        "MLP weight graph: units of \(options.excludeIO ? "the hidden layers" : "every layer (input and output included)"), "
        + "edges |w| between consecutive layers"
    case .cnn:
      if options.excludeIO {
        throw AnalysisError("--exclude-io applies to MLP models; a CNN's weight graph holds its convolution channels only")
      }
      let norm = options.kernelNorm ?? .l1
      kernelNorm = norm
      let graphOptions = CNNGraphOptions(kernelNorm: norm.norm)
      build = { try NeuronGraph(cnnWeightsOf: $0, options: graphOptions) }
      description =
        "CNN channel graph: channels of every convolution, edges the "
        + (norm == .l1 ? "entrywise L1 norm" : "induced 1-norm (largest column sum)")
        + " of the kernel slice, BatchNorm folded in"
    case .transformer:
      throw AnalysisError("neuron modules are defined for MLP and CNN models, not \(network.architecture.summary)")
    }
    let graph = try build(network)
    return GraphSetup(
      kind: "weights", graph: graph, description: description, statuses: graph.liveStatuses,
      nullModel: "every weight matrix and kernel of the network permuted (zeros included), graph rebuilt",
      shuffledGraph: { seed in try build(shufflingWeights(of: network, seed: seed)) }, notes: [],
      seconds: Date().timeIntervalSince(started), kernelNorm: kernelNorm)
  }

  public static func correlationSetup(_ network: Network<Float>, data: TaskData<Float>, options: ModulesOptions) throws
    -> GraphSetup
  {
    let started = Date()
    let available = data.test.count
    let count = options.samples ?? Swift.min(ModulesOptions.maximumCorrelationSamples, available)
    guard count <= available else {
      throw AnalysisError("--samples \(count) exceeds the \(available) test inputs of \(data.name)")
    }
    var generator = SeededGenerator(seed: options.seed)
    let indices = count == available ? Array(0..<available) : generator.sample(count, from: available).sorted()
    let inputs = data.test.subset(indices).inputs
    let scope = options.scope ?? .global
    let result = try CorrelationGraph(network: network, inputs: inputs, scope: scope)
    var statuses = result.graph.liveStatuses
    for i in result.constantNodes { statuses[i] = "constant" }
    for i in result.nonFiniteNodes { statuses[i] = "non-finite" }
    var notes: [String] = []
    if !result.constantNodes.isEmpty {
      notes.append(
        "\(result.constantNodes.count) unit(s) have a constant pre-activation over the \(count) inputs: no correlation is defined, so they are left out (cluster -1)."
      )
    }
    if !result.nonFiniteNodes.isEmpty {
      notes.append("\(result.nonFiniteNodes.count) unit(s) have NaN or infinite pre-activations and are left out (cluster -1).")
    }
    if result.graph.liveNodes.isEmpty {
      throw AnalysisError(
        "every hidden unit's pre-activation is constant (or not finite) over the \(count) inputs of \(data.name): no correlation graph"
      )
    }
    return GraphSetup(
      kind: "correlation", graph: result.graph,
      description: "\(scope == .global ? "global" : "local (per-layer)") correlation graph: hidden units, edges the squared "
        + "Spearman correlation of their pre-activations over \(count) test inputs"
        + (scope == .local ? "; no edges between layers" : ""),
      statuses: statuses,
      nullModel:
        "not from the papers: the network's weight matrices and kernels permuted (zeros included), then the correlation "
        + "graph recomputed on the same inputs; it asks whether the trained network's coactivations are more clusterable "
        + "than those of a network with the same weight values in no learned arrangement",
      shuffledGraph: { seed in
        try CorrelationGraph(network: shufflingWeights(of: network, seed: seed), inputs: inputs, scope: scope).graph
      }, notes: notes, seconds: Date().timeIntervalSince(started), scope: scope, samples: count)
  }
}
