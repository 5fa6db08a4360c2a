import Dispatch
import Foundation
import Tensors

/// The Gromov-Wasserstein solver used between layers.
public enum LayerGWSolver: String, Sendable, CaseIterable, Codable {
  /// Exact conditional gradient from several starts (identity, product, random permutations).
  case cg
  /// Entropic GW (log-domain Sinkhorn, annealed), started from the identity coupling.
  case entropic
}

/// Options of ``LayerSimilarityAnalysis``.
public struct LayerSimilarityOptions: Sendable, Equatable, Codable {
  public var metric: DistanceMetric
  public var normalization: DistanceNormalization
  public var solver: LayerGWSolver
  /// Seeded random permutation starts of the CG solver (besides identity and product; default 1:
  /// on layers of one network the identity start nearly always wins, see docs/performance.md).
  public var randomStarts: Int
  public var seed: UInt64
  /// The entropic regularization (absolute, on normalized distances). The all-pairs analysis uses
  /// working tolerances rather than the solver's parity defaults: at most 100 outer iterations
  /// per annealing stage, stop at `||T_new - T||_F < 1e-6`, Sinkhorn to an L1 marginal error of
  /// `1e-6` within 1000 sweeps (the achieved marginal error is reported per pair).
  public var epsilon: Double
  /// Worker threads for the pairs (each runs single-threaded BLAS); `nil` = active processors.
  public var threads: Int?

  public init(
    metric: DistanceMetric = .euclidean, normalization: DistanceNormalization = .mean, solver: LayerGWSolver = .cg,
    randomStarts: Int = 1, seed: UInt64 = 0, epsilon: Double = 5e-3, threads: Int? = nil
  ) {
    self.metric = metric
    self.normalization = normalization
    self.solver = solver
    self.randomStarts = randomStarts
    self.seed = seed
    self.epsilon = epsilon
    self.threads = threads
  }
}

/// The comparison of one pair of layers `first < second`.
public struct LayerPairResult: Sendable, Codable, Equatable {
  public let first: Int
  public let second: Int
  /// GW in POT's convention `sum (C1_ik - C2_jl)^2 T_ij T_kl`.
  public let gw: Double
  /// Iterations of the winning start (CG) or all outer iterations (entropic).
  public let iterations: Int
  /// The winning start ("identity", "product", "random k"), or "identity" for entropic.
  public let winningStart: String
  /// The marginal error of the entropic coupling (nil for CG).
  public let marginalError: Double?
  public let linearCKA: Double
  /// `mean((C_a - C_b)^2)`.
  public let rsmDifference: Double
  /// The orthogonal Procrustes distance `2 - 2 ||X^T Y||_*` (centered, unit-norm representations).
  public let procrustes: Double
  /// Wall time of this pair (GW and baselines).
  public let seconds: Double
}

/// Gromov-Wasserstein distances, linear CKA, RSM differences and orthogonal Procrustes distances between every pair of layers on
/// the same samples.
///
/// The `L (L - 1) / 2` pairs run in parallel (`DispatchQueue.concurrentPerform`), with OpenBLAS
/// set to one thread during the parallel section (restored afterwards) so the cores are not
/// oversubscribed.
public struct LayerSimilarityAnalysis: Sendable {
  public let layers: [String]
  public let widths: [Int]
  public let sampleCount: Int
  public let options: LayerSimilarityOptions
  /// `L x L`, symmetric, zero diagonal.
  public let gw: [[Double]]
  /// `L x L`, symmetric, ones on the diagonal.
  public let linearCKA: [[Double]]
  /// `L x L`, symmetric, zero diagonal.
  public let rsmDifference: [[Double]]
  /// `L x L`, symmetric, zero diagonal: the orthogonal Procrustes distance.
  public let procrustes: [[Double]]
  /// Pairs `i < j` in row-major order.
  public let pairs: [LayerPairResult]
  /// Seconds spent building the distance matrices.
  public let spacesSeconds: Double
  /// Seconds of the parallel all-pairs section.
  public let pairsSeconds: Double

  /// Compares every pair of layers of `representations`.
  ///
  /// - Throws: ``LayerSimilarityError`` for invalid options or a degenerate layer (all samples at
  ///   one point, a zero vector under cosine).
  public init(_ representations: LayerRepresentations, options: LayerSimilarityOptions = .init()) throws {
    guard options.randomStarts >= 0 else {
      throw LayerSimilarityError.invalidOption("the number of random starts must be >= 0, got \(options.randomStarts)")
    }
    guard options.epsilon > 0, options.epsilon.isFinite else {
      throw LayerSimilarityError.invalidOption("epsilon must be positive, got \(options.epsilon)")
    }
    let layers = representations.layers
    let count = layers.count
    let threads = Swift.max(1, options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
    let started = Date()
    let prepared = try BLASThreads.withCount(1) {
      try ParallelWork.map(count, threads: threads) { l in
        (
          try MetricMeasureSpace(
            representation: layers[l].values, layer: layers[l].name, metric: options.metric,
            normalization: options.normalization),
          try ProcrustesBasis(layers[l].values, layer: layers[l].name)
        )
      }
    }
    let spaces = prepared.map(\.0)
    let bases = prepared.map(\.1)
    let spacesSeconds = Date().timeIntervalSince(started)
    let pairIndices: [(Int, Int)] = (0..<count).flatMap { i in ((i + 1)..<count).map { (i, $0) } }
    let pairsStarted = Date()
    let results = try BLASThreads.withCount(1) {
      try ParallelWork.map(pairIndices.count, threads: threads) { index in
        let (i, j) = pairIndices[index]
        return try Self.compare(i, j, spaces: spaces, bases: bases, layers: layers, options: options)
      }
    }
    let pairsSeconds = Date().timeIntervalSince(pairsStarted)
    var gw = [[Double]](repeating: [Double](repeating: 0, count: count), count: count)
    var cka = gw
    var rsm = gw
    var procrustes = gw
    for l in 0..<count { cka[l][l] = 1 }
    for r in results {
      gw[r.first][r.second] = r.gw
      gw[r.second][r.first] = r.gw
      cka[r.first][r.second] = r.linearCKA
      cka[r.second][r.first] = r.linearCKA
      rsm[r.first][r.second] = r.rsmDifference
      rsm[r.second][r.first] = r.rsmDifference
      procrustes[r.first][r.second] = r.procrustes
      procrustes[r.second][r.first] = r.procrustes
    }
    self.layers = layers.map(\.name)
    self.widths = layers.map(\.width)
    self.sampleCount = representations.sampleCount
    self.options = options
    self.gw = gw
    self.linearCKA = cka
    self.rsmDifference = rsm
    self.procrustes = procrustes
    self.pairs = results
    self.spacesSeconds = spacesSeconds
    self.pairsSeconds = pairsSeconds
  }

  static func compare(
    _ i: Int, _ j: Int, spaces: [MetricMeasureSpace], bases: [ProcrustesBasis], layers: [LayerRepresentations.Layer],
    options: LayerSimilarityOptions
  ) throws -> LayerPairResult {
    let started = Date()
    let value: Double
    let iterations: Int
    let start: String
    var marginalError: Double?
    switch options.solver {
    case .cg:
      let result = try GromovWasserstein.conditionalGradient(
        spaces[i], spaces[j],
        options: ConditionalGradientOptions(
          samplesAreShared: true, randomStarts: options.randomStarts,
          seed: options.seed &+ UInt64(i) &* 1_000_003 &+ UInt64(j)))
      value = result.value
      iterations = result.iterations
      start = result.winningStart.description
    case .entropic:
      let result = try GromovWasserstein.entropic(
        spaces[i], spaces[j],
        options: EntropicGromovWassersteinOptions(
          epsilon: options.epsilon, start: .identity, maxIterations: 100, tolerance: 1e-6, sinkhornMaxIterations: 1000,
          sinkhornTolerance: 1e-6))
      value = result.value
      iterations = result.iterations
      start = "identity"
      marginalError = result.marginalError
    }
    let cka = try RepresentationSimilarity.linearCKA(
      layers[i].values, layers[j].values, xLayer: layers[i].name, yLayer: layers[j].name)
    let rsm = try RepresentationSimilarity.rsmDifference(spaces[i], spaces[j])
    let procrustes = try bases[i].distance(to: bases[j])
    return LayerPairResult(
      first: i, second: j, gw: Swift.max(value, 0), iterations: iterations, winningStart: start,
      marginalError: marginalError, linearCKA: cka, rsmDifference: rsm, procrustes: procrustes,
      seconds: Date().timeIntervalSince(started))
  }

}
