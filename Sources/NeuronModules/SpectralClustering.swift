import Tensors

/// Options of ``NeuronGraph/spectralClustering(_:)``; the defaults follow the authors' code
/// (scikit-learn `SpectralClustering(affinity="precomputed", assign_labels="kmeans")`).
public struct SpectralClusteringOptions: Sendable, Hashable {
  /// The number of clusters `k` (12 in the clusterability paper); also the embedding dimension.
  public var clusterCount: Int
  /// k-means starts; nil uses 25, or 100 for graphs of more than 2,000 live nodes.
  public var initializations: Int?
  /// Seeds both the sparse eigen-solver's start and k-means.
  public var seed: UInt64
  /// The eigen-solver and its settings (``SpectralEmbeddingOptions/seed`` is replaced by ``seed``).
  public var embedding: SpectralEmbeddingOptions
  /// Lloyd iterations per k-means start.
  public var kMeansMaximumIterations: Int
  /// scikit-learn's k-means `tol`.
  public var kMeansTolerance: Double

  public init(
    clusterCount: Int = 12, initializations: Int? = nil, seed: UInt64 = 0, embedding: SpectralEmbeddingOptions = .init(),
    kMeansMaximumIterations: Int = 300, kMeansTolerance: Double = 1e-4
  ) {
    self.clusterCount = clusterCount
    self.initializations = initializations
    self.seed = seed
    self.embedding = embedding
    self.kMeansMaximumIterations = kMeansMaximumIterations
    self.kMeansTolerance = kMeansTolerance
  }

  /// The k-means starts used for a graph of `liveNodeCount` live nodes.
  public func resolvedInitializations(liveNodeCount: Int) -> Int {
    initializations ?? (liveNodeCount > 2000 ? 100 : 25)
  }
}

/// A partition of a ``NeuronGraph``'s nodes by spectral clustering.
public struct SpectralPartition: Sendable {
  /// The cluster of every node of the graph, `0..<k`, or -1 for an isolated node. Clusters
  /// are numbered by first appearance in node order.
  public let labels: [Int]
  /// The number of clusters requested.
  public let clusterCount: Int
  /// The normalized cut of ``labels``.
  public let normalizedCut: Double
  /// The k-means inertia in the embedding.
  public let inertia: Double
  /// The embedding of the live nodes (row `r` is node `graph.liveNodes[r]`).
  public let embedding: SpectralEmbedding
  /// The k-means starts used.
  public let initializations: Int

  /// The node indices of each cluster, `0..<clusterCount`.
  public var clusters: [[Int]] {
    var members = [[Int]](repeating: [], count: clusterCount)
    for (node, label) in labels.enumerated() where label >= 0 { members[label].append(node) }
    return members
  }
}

extension NeuronGraph {
  /// Spectral clustering of the live nodes (Shi-Malik / Ng-Jordan-Weiss as in scikit-learn):
  /// the `k`-dimensional ``SpectralEmbedding`` of the live adjacency, then ``KMeans`` on its
  /// rows. Seeded and reproducible: the same graph, options and seed give the same labels.
  ///
  /// A disconnected graph is still clustered (see ``SpectralEmbedding``); with `c >= k`
  /// components, every cluster is a union of components and the normalized cut is 0.
  ///
  /// - Throws: ``NeuronModulesError/tooFewClusters(requested:)`` for `k < 2`,
  ///   ``NeuronModulesError/emptyGraph`` without edges,
  ///   ``NeuronModulesError/tooManyClusters(requested:liveNodes:)`` for `k` above the number
  ///   of live nodes.
  public func spectralClustering(_ options: SpectralClusteringOptions = .init()) throws -> SpectralPartition {
    let k = options.clusterCount
    guard k >= 2 else { throw NeuronModulesError.tooFewClusters(requested: k) }
    guard !liveNodes.isEmpty else { throw NeuronModulesError.emptyGraph }
    guard k <= liveNodes.count else { throw NeuronModulesError.tooManyClusters(requested: k, liveNodes: liveNodes.count) }
    var embeddingOptions = options.embedding
    embeddingOptions.seed = options.seed
    let embedding = try SpectralEmbedding(adjacency: liveAdjacency, dimensions: k, options: embeddingOptions)
    let initializations = options.resolvedInitializations(liveNodeCount: liveNodes.count)
    let kMeans = try KMeans(
      points: embedding.coordinates,
      options: KMeansOptions(
        clusterCount: k, initializations: initializations, maximumIterations: options.kMeansMaximumIterations,
        tolerance: options.kMeansTolerance, seed: options.seed))
    let labels = expandLabels(kMeans.labels)
    return SpectralPartition(
      labels: labels, clusterCount: k, normalizedCut: try liveAdjacency.normalizedCut(labels: kMeans.labels),
      inertia: kMeans.inertia, embedding: embedding, initializations: initializations)
  }
}
