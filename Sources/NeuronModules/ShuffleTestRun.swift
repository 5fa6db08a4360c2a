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
    let cuts = try ParallelWork.map(shuffles, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount) {
      try normalizedCutOfShuffle(seeds[$0])
    }
    return ClusterabilityTest(normalizedCut: normalizedCut, shuffledNormalizedCuts: cuts)
  }
}
