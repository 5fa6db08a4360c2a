import NeuronModules

/// The contents of DIR/modules.json, written by `netatlas modules` (see ``ModulesRun``).
///
/// Node indices (in `clusters`, `strongestEdges`) refer to positions in `nodes`.
struct ModulesOutput: Codable, Sendable {
  struct Options: Codable, Sendable {
    /// "weights", "correlation" or "adjacency".
    var graph: String
    /// "global" or "local" (correlation graphs only).
    var scope: String?
    var clusters: Int
    var shuffles: Int
    var seed: UInt64
    /// Input and output units left out of an MLP weight graph.
    var excludeIO: Bool
    /// "l1" or "induced" (CNN weight graphs only).
    var kernelNorm: String?
    /// Inputs the correlations were computed over (correlation graphs only).
    var samples: Int?
  }

  struct Node: Codable, Sendable {
    var layer: Int
    var layerName: String
    var unit: Int
    /// `0..<k`, or -1 for a node left out of clustering (see `status`).
    var cluster: Int
    /// "live"; "isolated" (no edges: dead or pruned unit); "constant" or "non-finite" (a
    /// correlation-graph unit whose pre-activation is constant or not finite over the inputs).
    var status: String
    /// The planted part of the unit (planted-modules task only; -1 when none dominates).
    var plantedPart: Int?
    /// The planted part's share of the unit's resampling sensitivity (hidden units of the
    /// planted-modules task only): 1 when the unit reads that part alone.
    var plantedShare: Double?
  }

  struct Layer: Codable, Sendable {
    var index: Int
    var name: String
    var width: Int
    var liveUnits: Int
    /// `clusterSizes[c]`: the layer's units in cluster `c`.
    var clusterSizes: [Int]
  }

  struct Cluster: Codable, Sendable {
    var label: Int
    var size: Int
    /// Total weight of edges leaving the cluster.
    var cut: Double
    /// Sum of the cluster's degrees.
    var volume: Double
    /// `cut / volume`: the cluster's term of the normalized cut.
    var normalizedCut: Double
  }

  struct Edge: Codable, Sendable {
    var from: Int
    var to: Int
    var weight: Double
  }

  struct Shuffle: Codable, Sendable {
    /// What a shuffled graph is (the null model).
    var nullModel: String
    var normalizedCuts: [Double]
    var mean: Double
    var standardDeviation: Double
    /// `(ncut - mean) / std`; negative when more clusterable than the shuffles.
    var z: Double
    /// `(#{shuffled < ncut} + 1) / (n + 1)`.
    var p: Double
    var seconds: Double
  }

  struct Planted: Codable, Sendable {
    /// How each unit's planted part is defined.
    var definition: String
    var parts: Int
    /// Hidden units compared (live in the graph and with a dominant part).
    var hiddenUnits: Int
    /// Adjusted Rand index of the hidden units' clusters against their planted parts.
    var hiddenARI: Double
    /// The same per hidden layer.
    var layerARI: [LayerARI]
    /// The same over the input units (when in the graph).
    var inputARI: Double?
    /// The same over input and hidden units together (when the inputs are in the graph).
    var inputAndHiddenARI: Double?
    /// Over hidden units: the fraction that share their cluster's most common planted part.
    var purity: Double
    /// Mean over hidden units of the dominant part's share of the resampling sensitivity
    /// (1 = every unit reads one part only; 1/parts = units read all parts alike).
    var meanDominantShare: Double
    /// `contingency[c][p]`: hidden units of cluster `c` with planted part `p`.
    var contingency: [[Int]]
  }

  struct LayerARI: Codable, Sendable {
    var layer: String
    var units: Int
    var ari: Double
  }

  struct Timings: Codable, Sendable {
    var graphSeconds: Double
    var clusteringSeconds: Double
    var shuffleSeconds: Double
    var statisticsSeconds: Double
    var totalSeconds: Double
  }

  var source: String
  var task: String?
  var architecture: String?
  /// One line saying what the graph is.
  var graphDescription: String
  var options: Options
  var nodeCount: Int
  var liveNodeCount: Int
  /// Undirected edges with nonzero weight.
  var edgeCount: Int
  /// Connected components among the live nodes.
  var componentCount: Int
  var eigenSolver: String
  var kMeansInitializations: Int
  var normalizedCut: Double
  var layers: [Layer]
  var nodes: [Node]
  var clusters: [Cluster]
  /// The strongest edges of each pair of layers (for drawing).
  var strongestEdges: [Edge]
  /// The shuffle test; nil when skipped (`shuffleSkipped` says why).
  var shuffle: Shuffle?
  var shuffleSkipped: String?
  var planted: Planted?
  /// Importance (lesions) and coherence of the sub-clusters (cluster ∩ hidden layer), with
  /// Fisher-combined and Benjamini-Hochberg corrected tests; nil when skipped (see
  /// `subClusterStatisticsSkipped`).
  var subClusterStatistics: ModuleStatistics?
  var subClusterStatisticsSkipped: String?
  /// Warnings and facts worth reading: disconnected graphs, isolated or constant units.
  var notes: [String]
  var timings: Timings
}
