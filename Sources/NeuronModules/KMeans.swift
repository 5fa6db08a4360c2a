import Foundation
import Tensors

/// Options of ``KMeans``.
public struct KMeansOptions: Sendable, Hashable {
  /// The number of clusters.
  public var clusterCount: Int
  /// Independent k-means++ starts; the run with the lowest inertia is kept.
  public var initializations: Int
  /// Lloyd iterations per start.
  public var maximumIterations: Int
  /// A run also stops when the squared center shift is at most this fraction of the mean
  /// per-feature variance (scikit-learn's `tol`).
  public var tolerance: Double
  public var seed: UInt64
  /// Threads running the starts in parallel; nil uses OpenBLAS's thread count
  /// (``Tensors/BLASThreads``), so a caller that runs clusterings in parallel with one BLAS
  /// thread each gets one thread here too. The result does not depend on it.
  public var threads: Int?

  public init(
    clusterCount: Int, initializations: Int = 25, maximumIterations: Int = 300, tolerance: Double = 1e-4, seed: UInt64 = 0,
    threads: Int? = nil
  ) {
    self.clusterCount = clusterCount
    self.initializations = initializations
    self.maximumIterations = maximumIterations
    self.tolerance = tolerance
    self.seed = seed
    self.threads = threads
  }
}

/// k-means clustering of the rows of a matrix, as scikit-learn's `KMeans(init="k-means++",
/// algorithm="lloyd")`: greedy k-means++ seeding with `2 + floor(ln k)` candidate centers per
/// step, Lloyd iterations until the labels stop changing (or the centers move less than the
/// tolerance), an empty cluster re-seeded with the point farthest from its center, and the
/// best of several seeded starts. Distances are computed as in scikit-learn
/// (`||x||^2 + ||c||^2 - 2 x.c`), here by fused single-precision kernels on centered points
/// (see `KMeansPoints`); the starts are compared by the inertia those distances give, and the
/// kept run's inertia is recomputed exactly in double precision.
///
/// Start `s` draws from the `s`-th generator split off `SeededGenerator(seed:)`, and the lowest
/// inertia wins (the earliest start on a tie), so the result is the same whether the starts
/// run in sequence or in parallel.
///
/// Labels are renumbered by first appearance (the cluster of row 0 is 0, the next new cluster
/// met is 1, ...), so equal partitions get equal labels. With fewer distinct points than `k`,
/// some clusters stay empty (their labels unused), as in scikit-learn.
public struct KMeans: Sendable {
  /// The cluster of each row, `0..<k`.
  public let labels: [Int]
  /// `[k, d]` cluster means, in label order.
  public let centers: Tensor<Double>
  /// The sum of squared distances from rows to their centers.
  public let inertia: Double
  /// Lloyd iterations of the kept run.
  public let iterations: Int

  /// Clusters the rows of `points` (`[n, d]`).
  ///
  /// - Throws: ``NeuronModulesError`` if `k < 1`, `k > n`, an option is out of range or a
  ///   point is not finite.
  public init(points: Tensor<Double>, options: KMeansOptions) throws {
    guard points.rank == 2 else { throw NeuronModulesError.invalidShape("k-means needs [n, d] points, got \(points.shape)") }
    let (n, d, k) = (points.shape[0], points.shape[1], options.clusterCount)
    guard k >= 1, k <= n else { throw NeuronModulesError.invalidOption("cannot form \(k) clusters from \(n) points") }
    guard options.initializations >= 1, options.maximumIterations >= 1, options.tolerance >= 0 else {
      throw NeuronModulesError.invalidOption("k-means needs >= 1 initialization, >= 1 iteration and a tolerance >= 0")
    }
    guard options.threads.map({ $0 >= 1 }) ?? true else {
      throw NeuronModulesError.invalidOption("k-means needs >= 1 thread, got \(options.threads ?? 0)")
    }
    guard points.isFinite else { throw NeuronModulesError.invalidShape("k-means points contain NaN or infinity") }
    let data = KMeansPoints(data: points.scalars, n: n, d: d)
    let threshold = options.tolerance * data.meanVariance
    var generator = SeededGenerator(seed: options.seed)
    let generators = generator.split(into: options.initializations)
    let maximumIterations = options.maximumIterations
    let runStart: @Sendable (Int) -> LloydRun = { index in
      var runGenerator = generators[index]
      let seeds = kMeansPlusPlus(data, k: k, using: &runGenerator)
      return lloyd(
        data, k: k, centers: seeds.centers, labels: seeds.labels, distances: seeds.distances,
        maximumIterations: maximumIterations, threshold: threshold)
    }
    let workers = Swift.min(options.initializations, options.threads ?? BLASThreads.count)
    let runs: [LloydRun]
    if workers > 1 {
      // The starts use no BLAS, so they run beside each other without oversubscribing.
      let box = RunResults(count: options.initializations)
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let index = box.claim() { box.store(runStart(index), at: index) }
      }
      runs = box.values()
    } else {
      runs = (0..<options.initializations).map(runStart)
    }
    var run = runs[0]
    for candidate in runs.dropFirst() where candidate.inertia < run.inertia { run = candidate }
    // Renumber by first appearance.
    var rename = [Int](repeating: -1, count: k)
    var next = 0
    for label in run.labels where rename[label] < 0 {
      rename[label] = next
      next += 1
    }
    for c in 0..<k where rename[c] < 0 {
      rename[c] = next
      next += 1
    }
    var centers = [Double](repeating: 0, count: k * d)
    for c in 0..<k {
      for j in 0..<d { centers[rename[c] * d + j] = run.centers[c * d + j] }
    }
    self.labels = run.labels.map { rename[$0] }
    self.centers = Tensor(shape: [k, d], scalars: centers)
    self.inertia = data.inertia(labels: run.labels, centers: run.centers)
    self.iterations = run.iterations
  }
}

/// Results of the parallel starts, guarded by a lock.
private final class RunResults: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [LloydRun?]
  private var next = 0

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < slots.count else { return nil }
    next += 1
    return next - 1
  }

  func store(_ run: LloydRun, at index: Int) {
    lock.lock()
    slots[index] = run
    lock.unlock()
  }

  /// Every start's run; each slot was filled by the time the workers return.
  func values() -> [LloydRun] {
    lock.lock()
    defer { lock.unlock() }
    return slots.compactMap { $0 }
  }
}
