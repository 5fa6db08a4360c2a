/// The shuffle test of clusterability (Filan et al. 2021): a network's normalized cut against
/// those of networks whose weight matrices were shuffled (see ``shufflingWeights(of:seed:)``).
public struct ClusterabilityTest: Sendable, Hashable {
  /// The unshuffled network's normalized cut.
  public let normalizedCut: Double
  /// The shuffled networks' normalized cuts.
  public let shuffledNormalizedCuts: [Double]
  /// The mean of ``shuffledNormalizedCuts``.
  public let mean: Double
  /// Their population standard deviation (numpy's `std`, `ddof = 0`, as the authors' code).
  public let standardDeviation: Double
  /// `(normalizedCut - mean) / standardDeviation`: negative when the network is more
  /// clusterable than its shuffles. Infinite (or NaN when also equal to the mean) if every
  /// shuffle gave the same value.
  public let zScore: Double
  /// The one-sided rank p-value `(#{shuffled < normalizedCut} + 1) / (n + 1)`; small when the
  /// network is more clusterable than its shuffles.
  public let pValue: Double

  /// The statistics of a normalized cut against its shuffles.
  ///
  /// - Precondition: at least one shuffled value.
  public init(normalizedCut: Double, shuffledNormalizedCuts shuffled: [Double]) {
    precondition(!shuffled.isEmpty, "the shuffle test needs at least one shuffled normalized cut")
    let n = Double(shuffled.count)
    let mean = shuffled.reduce(0, +) / n
    let variance = shuffled.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
    self.normalizedCut = normalizedCut
    self.shuffledNormalizedCuts = shuffled
    self.mean = mean
    self.standardDeviation = variance.squareRoot()
    self.zScore = (normalizedCut - mean) / variance.squareRoot()
    self.pValue = Double(shuffled.filter { $0 < normalizedCut }.count + 1) / (n + 1)
  }
}
