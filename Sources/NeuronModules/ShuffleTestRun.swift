import Foundation
import Tensors

extension ClusterabilityTest {
  /// Runs the shuffle test: the normalized cut of `shuffles` null-model graphs, each built and
  /// clustered by `normalizedCutOfShuffle(seed)`, against the true `normalizedCut`.
  ///
  /// Shuffle `s` gets the `s`-th value drawn from `SeededGenerator(seed:)`, so the result does
  /// not depend on the number of threads. The shuffles run in parallel on `threads` workers
  /// (default: the active processor count), with OpenBLAS set to one thread meanwhile so the
  /// cores are not oversubscribed.
  ///
  /// - Throws: ``NeuronModulesError/invalidOption(_:)`` for `shuffles < 1`; otherwise the first
  ///   error (by shuffle index) that `normalizedCutOfShuffle` throws.
  public static func run(
    normalizedCut: Double, shuffles: Int, seed: UInt64, threads: Int? = nil,
    normalizedCutOfShuffle: @escaping @Sendable (_ seed: UInt64) throws -> Double
  ) throws -> ClusterabilityTest {
    guard shuffles >= 1 else {
      throw NeuronModulesError.invalidOption("the shuffle test needs at least 1 shuffle, got \(shuffles)")
    }
    var generator = SeededGenerator(seed: seed)
    let seeds = (0..<shuffles).map { _ in generator.next() }
    let workers = Swift.max(1, Swift.min(shuffles, threads ?? ProcessInfo.processInfo.activeProcessorCount))
    let results = ShuffleResults(count: shuffles)
    let body = {
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let index = results.claim() {
          results.store(Result { try normalizedCutOfShuffle(seeds[index]) }, at: index)
        }
      }
    }
    if workers > 1 { BLASThreads.withCount(1, body) } else { body() }
    return ClusterabilityTest(normalizedCut: normalizedCut, shuffledNormalizedCuts: try results.values())
  }
}

/// Shuffle results filled in by parallel workers, guarded by a lock.
private final class ShuffleResults: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<Double, any Error>?]
  private var next = 0

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < slots.count else { return nil }
    next += 1
    return next - 1
  }

  func store(_ result: Result<Double, any Error>, at index: Int) {
    lock.lock()
    slots[index] = result
    lock.unlock()
  }

  func values() throws -> [Double] {
    lock.lock()
    defer { lock.unlock() }
    return try slots.map { slot in
      guard let slot else { throw NeuronModulesError.invalidOption("a shuffle did not run") }
      return try slot.get()
    }
  }
}
