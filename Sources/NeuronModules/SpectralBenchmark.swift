import Tensors

/// A timing harness for spectral clustering on large sparse graphs (no CLI command; call it
/// from a release build).
public enum SpectralBenchmark {
  /// The timings and outcome of one ``run(graph:options:)``.
  public struct Measurement: Sendable {
    public var nodes: Int
    /// Stored adjacency entries (twice the number of edges).
    public var storedEntries: Int
    public var clusterCount: Int
    public var initializations: Int
    public var solver: EigenSolverChoice
    public var solverIterations: Int
    /// Sparse matrix-block products of the eigen-solver.
    public var solverProducts: Int
    public var solverConverged: Bool
    /// Building the embedding (eigen-solver included).
    public var embeddingSeconds: Double
    /// k-means with all its starts.
    public var kMeansSeconds: Double
    public var normalizedCut: Double

    public var totalSeconds: Double { embeddingSeconds + kMeansSeconds }
  }

  /// A weighted planted-partition graph: `nodes` nodes in `blocks` equal blocks; each node
  /// draws `averageDegree / 2` edges, inside its block with probability `inBlockFraction`,
  /// otherwise to a uniform node; weights uniform in `[0.5, 1.5)`; repeated edges add up.
  /// Node `i` is in block `i % blocks`.
  public static func plantedPartitionGraph(
    nodes: Int = 10_000, blocks: Int = 12, averageDegree: Int = 20, inBlockFraction: Double = 0.8, seed: UInt64 = 0
  ) throws -> NeuronGraph {
    precondition(nodes >= blocks && blocks >= 1 && averageDegree >= 2, "invalid planted-partition sizes")
    var generator = SeededGenerator(seed: seed)
    var rows: [Int] = []
    var columns: [Int] = []
    var values: [Double] = []
    let draws = averageDegree / 2
    for i in 0..<nodes {
      let block = i % blocks
      let blockSize = (nodes - block + blocks - 1) / blocks
      for _ in 0..<draws {
        var j: Int
        if generator.nextUniform(as: Double.self) < inBlockFraction {
          j = block + blocks * generator.nextInt(below: blockSize)
        } else {
          j = generator.nextInt(below: nodes)
        }
        if j == i { continue }
        let weight = 0.5 + generator.nextUniform(as: Double.self)
        rows += [i, j]
        columns += [j, i]
        values += [weight, weight]
      }
    }
    return try NeuronGraph(order: nodes, rows: rows, columns: columns, values: values)
  }

  /// The layered weight graph of a random MLP: `|W|` with normal entries scaled by
  /// `1 / sqrt(fan_in)`, a fraction `pruned` of them zeroed (magnitude-independent).
  public static func randomLayeredGraph(widths: [Int], pruned: Double = 0.9, seed: UInt64 = 0) throws -> NeuronGraph {
    var generator = SeededGenerator(seed: seed)
    let layers = widths.enumerated().map { GraphLayer(index: $0, name: $0 == 0 ? "input" : "layers.\($0 - 1)", width: $1) }
    let connections = (0..<(widths.count - 1)).map { k in
      let scale = 1 / Double(widths[k]).squareRoot()
      return Tensor<Double>(shape: [widths[k + 1], widths[k]]) { buffer in
        for index in buffer.indices {
          let value = Swift.abs(generator.nextStandardNormal()) * scale
          buffer[index] = generator.nextUniform(as: Double.self) < pruned ? 0 : value
        }
      }
    }
    return try NeuronGraph(layers: layers, connections: connections)
  }

  /// Clusters `graph` and times the two stages.
  public static func run(graph: NeuronGraph, options: SpectralClusteringOptions) throws -> Measurement {
    let clock = ContinuousClock()
    var embeddingOptions = options.embedding
    embeddingOptions.seed = options.seed
    let k = options.clusterCount
    var embedding: SpectralEmbedding? = nil
    let embeddingTime = try clock.measure {
      embedding = try SpectralEmbedding(adjacency: graph.liveAdjacency, dimensions: k, options: embeddingOptions)
    }
    let initializations = options.resolvedInitializations(liveNodeCount: graph.liveNodes.count)
    var kMeans: KMeans? = nil
    let kMeansTime = try clock.measure {
      kMeans = try KMeans(
        points: embedding!.coordinates,
        options: KMeansOptions(
          clusterCount: k, initializations: initializations, maximumIterations: options.kMeansMaximumIterations,
          tolerance: options.kMeansTolerance, seed: options.seed))
    }
    return Measurement(
      nodes: graph.liveNodes.count, storedEntries: graph.liveAdjacency.storedEntryCount, clusterCount: k,
      initializations: initializations, solver: embedding!.solver, solverIterations: embedding!.iterations,
      solverProducts: embedding!.products,
      solverConverged: embedding!.converged, embeddingSeconds: embeddingTime.inSeconds, kMeansSeconds: kMeansTime.inSeconds,
      normalizedCut: try graph.liveAdjacency.normalizedCut(labels: kMeans!.labels))
  }
}
