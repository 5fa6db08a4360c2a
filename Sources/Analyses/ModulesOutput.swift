import NeuronModules

/// The contents of DIR/modules.json, written by `netatlas modules` (see ``ModulesRun``).
///
/// Node indices (in `clusters`, `strongestEdges`) refer to positions in `nodes`.
public struct ModulesOutput: Codable, Sendable {
  public struct Options: Codable, Sendable {
    /// "weights", "correlation" or "adjacency".
    public var graph: String
    /// "global" or "local" (correlation graphs only).
    public var scope: String?
    public var clusters: Int
    public var shuffles: Int
    public var seed: UInt64
    /// Input and output units left out of an MLP weight graph.
    public var excludeIO: Bool
    /// "l1" or "induced" (CNN weight graphs only).
    public var kernelNorm: String?
    /// Inputs the correlations were computed over (correlation graphs only).
    public var samples: Int?
  }

  public struct Node: Codable, Sendable {
    public var layer: Int
    public var layerName: String
    public var unit: Int
    /// `0..<k`, or -1 for a node left out of clustering (see `status`).
    public var cluster: Int
    /// "live"; "isolated" (no edges: dead or pruned unit); "constant" or "non-finite" (a
    /// correlation-graph unit whose pre-activation is constant or not finite over the inputs).
    public var status: String
    /// The planted part of the unit (planted-modules task only; -1 when none dominates).
    public var plantedPart: Int?
    /// The planted part's share of the unit's resampling sensitivity (hidden units of the
    /// planted-modules task only): 1 when the unit reads that part alone.
    public var plantedShare: Double?
  }

  public struct Layer: Codable, Sendable {
    public var index: Int
    public var name: String
    public var width: Int
    public var liveUnits: Int
    /// `clusterSizes[c]`: the layer's units in cluster `c`.
    public var clusterSizes: [Int]
  }

  public struct Cluster: Codable, Sendable {
    public var label: Int
    public var size: Int
    /// Total weight of edges leaving the cluster.
    public var cut: Double
    /// Sum of the cluster's degrees.
    public var volume: Double
    /// `cut / volume`: the cluster's term of the normalized cut.
    public var normalizedCut: Double
  }

  public struct Edge: Codable, Sendable {
    public var from: Int
    public var to: Int
    public var weight: Double
  }

  public struct Shuffle: Codable, Sendable {
    /// What a shuffled graph is (the null model).
    public var nullModel: String
    public var normalizedCuts: [Double]
    public var mean: Double
    public var standardDeviation: Double
    /// `(ncut - mean) / std`; negative when more clusterable than the shuffles.
    public var z: Double
    /// `(#{shuffled < ncut} + 1) / (n + 1)`.
    public var p: Double
    public var seconds: Double
  }

  public struct Planted: Codable, Sendable {
    /// How each unit's planted part is defined.
    public var definition: String
    public var parts: Int
    /// Hidden units compared (live in the graph and with a dominant part).
    public var hiddenUnits: Int
    /// Adjusted Rand index of the hidden units' clusters against their planted parts.
    public var hiddenARI: Double
    /// The same per hidden layer.
    public var layerARI: [LayerARI]
    /// The same over the input units (when in the graph).
    public var inputARI: Double?
    /// The same over input and hidden units together (when the inputs are in the graph).
    public var inputAndHiddenARI: Double?
    /// Over hidden units: the fraction that share their cluster's most common planted part.
    public var purity: Double
    /// Mean over hidden units of the dominant part's share of the resampling sensitivity
    /// (1 = every unit reads one part only; 1/parts = units read all parts alike).
    public var meanDominantShare: Double
    /// `contingency[c][p]`: hidden units of cluster `c` with planted part `p`.
    public var contingency: [[Int]]
  }

  public struct LayerARI: Codable, Sendable {
    public var layer: String
    public var units: Int
    public var ari: Double
  }

  public struct Timings: Codable, Sendable {
    public var graphSeconds: Double
    public var clusteringSeconds: Double
    public var shuffleSeconds: Double
    public var statisticsSeconds: Double
    public var totalSeconds: Double
  }

  public var source: String
  public var task: String?
  public var architecture: String?
  /// One line saying what the graph is.
  public var graphDescription: String
  public var options: Options
  public var nodeCount: Int
  public var liveNodeCount: Int
  /// Undirected edges with nonzero weight.
  public var edgeCount: Int
  /// Connected components among the live nodes.
  public var componentCount: Int
  public var eigenSolver: String
  public var kMeansInitializations: Int
  public var normalizedCut: Double
  public var layers: [Layer]
  public var nodes: [Node]
  public var clusters: [Cluster]
  /// The strongest edges of each pair of layers (for drawing).
  public var strongestEdges: [Edge]
  /// The shuffle test; nil when skipped (`shuffleSkipped` says why).
  public var shuffle: Shuffle?
  public var shuffleSkipped: String?
  public var planted: Planted?
  /// Importance (lesions) and coherence of the sub-clusters (cluster ∩ hidden layer), with
  /// Fisher-combined and Benjamini-Hochberg corrected tests; nil when skipped (see
  /// `subClusterStatisticsSkipped`).
  public var subClusterStatistics: ModuleStatistics?
  public var subClusterStatisticsSkipped: String?
  /// Warnings and facts worth reading: disconnected graphs, isolated or constant units.
  public var notes: [String]
  public var timings: Timings
}

extension ModulesOutput {
  /// One line: n-cut, the shuffle test, the planted-parts match and the combined sub-cluster tests.
  public var summary: String {
    var line = String(
      format: "%d of %d nodes clustered, k = %d: n-cut %.4f", liveNodeCount, nodeCount, options.clusters, normalizedCut)
    if let shuffle {
      line += String(
        format: "; %d shuffles: mean %.4f ± %.4f, z = %.2f, p = %.4f", shuffle.normalizedCuts.count, shuffle.mean,
        shuffle.standardDeviation, shuffle.z, shuffle.p)
    }
    if let planted {
      line += String(format: "; planted parts: hidden-unit ARI %.4f, purity %.4f", planted.hiddenARI, planted.purity)
    }
    if let statistics = subClusterStatistics {
      line +=
        "; \(statistics.subClusters.count) sub-clusters: "
        + statistics.combinedTests.map { String(format: "%@ Fisher p %.3g", $0.kind.rawValue, $0.pValue) }
        .joined(separator: ", ")
    }
    return line
  }
}
