import Autodiff
import Foundation
import LayerSimilarity
import Networks
import Tensors

/// The settings of a layer-similarity analysis (`netatlas layers` and the demo).
public struct LayersSettings {
  public var metric: LayersMetric = .euclidean
  public var normalize: DistanceNormalization = .mean
  public var solver: LayerGWSolver = .cg
  /// Random permutation starts of the cg solver; nil means 1.
  public var starts: Int?
  /// Entropic regularization; nil means 0.005.
  public var epsilon: Double?
  public var seed: UInt64 = 0
  public var conv: LayerRepresentations.ConvolutionReduction = .flatten
  public var sequence: LayerRepresentations.SequenceReduction = .last

  public var similarityOptions: LayerSimilarityOptions {
    LayerSimilarityOptions(
      metric: metric.distance, normalization: normalize, solver: solver, randomStarts: starts ?? 1, seed: seed,
      epsilon: epsilon ?? 5e-3)
  }

  public init(
    metric: LayersMetric = .euclidean, normalize: DistanceNormalization = .mean, solver: LayerGWSolver = .cg, starts: Int? = nil,
    epsilon: Double? = nil, seed: UInt64 = 0, conv: LayerRepresentations.ConvolutionReduction = .flatten,
    sequence: LayerRepresentations.SequenceReduction = .last
  ) {
    self.metric = metric
    self.normalize = normalize
    self.solver = solver
    self.starts = starts
    self.epsilon = epsilon
    self.seed = seed
    self.conv = conv
    self.sequence = sequence
  }
}

/// Representations from a model, the all-pairs analysis and its groups, as layers.json holds them.
public enum LayersRun {
  /// The default sites of a model: main-path layer outputs, leaving out the input, pre-activations,
  /// normalizations, the flatten reshape and a final LayerNorm; of each convolution stage only its
  /// last site (after pooling if any).
  public static func defaultSites(_ sites: [Site]) -> [String] {
    let names = sites.filter(\.isOnMainPath).map(\.name).filter {
      $0 != "input" && $0 != "flatten" && $0 != "final" && !$0.hasSuffix(".pre") && !$0.hasSuffix(".norm")
    }
    return names.enumerated().compactMap { index, name in
      let parts = name.split(separator: ".")
      if parts.count == 3, parts[0] == "conv", index + 1 < names.count {
        let next = names[index + 1].split(separator: ".")
        if next.count == 3, next[0] == "conv", next[1] == parts[1] { return nil }
      }
      return name
    }
  }

  /// Captures `sites` (default: ``defaultSites(_:)``) on `samples` test inputs drawn with the
  /// settings' seed, reduced as the settings say.
  public static func representations(
    of network: Network<Float>, on test: LabeledData<Float>, sites: [String]? = nil, samples: Int,
    settings: LayersSettings
  ) throws -> LayerRepresentations {
    let chosen = sites ?? defaultSites(network.sites)
    var generator = SeededGenerator(seed: settings.seed)
    let indices = Array(Array(0..<test.count).shuffled(using: &generator).prefix(samples)).sorted()
    let inputs = test.subset(indices).inputs
    let result = try network.forward(Variable(inputs), options: ForwardOptions(capture: Set(chosen)))
    let tensors = chosen.map { (name: $0, tensor: result.captured[$0]!.value) }
    return try LayerRepresentations(tensors, convolution: settings.conv, sequence: settings.sequence)
  }

  /// GW, CKA and RSM for every pair of layers and the groups of both methods.
  public static func analyze(_ representations: LayerRepresentations, source: String, settings: LayersSettings) throws
    -> LayersOutput
  {
    let started = Date()
    let options = settings.similarityOptions
    let analysis: LayerSimilarityAnalysis
    do {
      analysis = try LayerSimilarityAnalysis(representations, options: options)
    } catch let error as LayerSimilarityError {
      throw AnalysisError(error.description)
    }
    let hierarchical = LayerGrouping.hierarchical(analysis.gw)
    let contiguous = LayerGrouping.contiguous(analysis.gw)
    return LayersOutput(
      source: source, layers: analysis.layers, widths: analysis.widths,
      shapes: representations.layers.map(\.originalShape), samples: analysis.sampleCount,
      options: .init(
        metric: settings.metric.rawValue, normalize: settings.normalize.rawValue, solver: settings.solver.rawValue,
        randomStarts: settings.solver == .cg ? options.randomStarts : nil,
        epsilon: settings.solver == .entropic ? options.epsilon : nil, seed: settings.seed, conv: settings.conv.rawValue,
        sequence: settings.sequence.rawValue,
        gwConvention: "POT: sum_{i,j,k,l} (C1_ik - C2_jl)^2 T_ij T_kl (Memoli distance = 0.5 sqrt(value))",
        groupCriterion: "mean silhouette on the GW matrix, maximized over k = 2 ... L-1"),
      gw: analysis.gw, linearCKA: analysis.linearCKA, rsmDifference: analysis.rsmDifference,
      procrustes: analysis.procrustes,
      groups: .init(
        hierarchical: hierarchical.grouping, linkage: hierarchical.linkage, cutHeight: hierarchical.cutHeight,
        contiguous: contiguous),
      pairs: analysis.pairs.map {
        .init(
          first: analysis.layers[$0.first], second: analysis.layers[$0.second], gw: $0.gw, iterations: $0.iterations,
          winningStart: $0.winningStart, marginalError: $0.marginalError, linearCKA: $0.linearCKA,
          rsmDifference: $0.rsmDifference, procrustes: $0.procrustes, seconds: $0.seconds)
      },
      timings: .init(
        spacesSeconds: analysis.spacesSeconds, pairsSeconds: analysis.pairsSeconds,
        totalSeconds: Date().timeIntervalSince(started)))
  }
}

extension LayersOutput {
  /// One line: layers, samples, pairs, time and both groupings.
  public var summary: String {
    func describe(_ groups: [[Int]]) -> String {
      groups.map { "[" + $0.map { layers[$0] }.joined(separator: " ") + "]" }.joined(separator: " ")
    }
    return String(
      format: "%d layers, %d samples, %d pairs in %.1f s; groups (average linkage) %@; segments %@", layers.count,
      samples, pairs.count, timings.totalSeconds, describe(groups.hierarchical.groups), describe(groups.contiguous.groups))
  }
}
