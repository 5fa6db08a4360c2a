/// One statistic of one sub-cluster against the same statistic of its random sets.
public struct RankTest: Sendable, Hashable, Codable {
  /// Which tail is significant.
  public var side: TestSide
  /// The sub-cluster's statistic (may be `+infinity`, e.g. the class selectivity of a lesion
  /// with no mean accuracy drop; the CLI's JSON writer spells it "inf").
  public var value: Double
  /// The statistic of each random same-size, same-layer set.
  public var randomValues: [Double]
  /// The rank p-value (``RankStatistics/rankPValue(_:randomValues:side:)``: ties count against
  /// significance).
  public var pValue: Double
  /// The effect factor, `2 v / (v + mean random)` unless the test documents otherwise; 1 means
  /// no difference from random sets.
  public var effectFactor: Double
  /// The Benjamini-Hochberg adjusted p-value across the network's sub-clusters for this test.
  public var adjustedPValue: Double
  /// Whether the Benjamini-Hochberg procedure rejects the null (``adjustedPValue`` at most the
  /// false discovery rate, up to rounding; see ``RankStatistics/benjaminiHochberg(_:rate:)``).
  public var isSignificant: Bool

  /// A test before the multiple-comparison correction (``adjustedPValue`` = ``pValue`` until
  /// ``correctedAcrossSubClusters(_:rate:)`` runs).
  public init(value: Double, randomValues: [Double], side: TestSide, effectFactor: Double? = nil) {
    self.side = side
    self.value = value
    self.randomValues = randomValues
    self.pValue = RankStatistics.rankPValue(value, randomValues: randomValues, side: side)
    self.effectFactor =
      effectFactor ?? RankStatistics.effectFactor(value, randomMean: RankTest.mean(randomValues))
    self.adjustedPValue = pValue
    self.isSignificant = false
  }

  /// The mean of the random sets' values (0 without random sets).
  public var randomMean: Double { RankTest.mean(randomValues) }

  static func mean(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
  }

  /// The tests with Benjamini-Hochberg adjusted p-values across them (one per sub-cluster).
  public static func correctedAcrossSubClusters(_ tests: [RankTest], rate: Double) -> [RankTest] {
    let (adjusted, rejected) = RankStatistics.benjaminiHochberg(tests.map(\.pValue), rate: rate)
    return tests.indices.map { i in
      var test = tests[i]
      test.adjustedPValue = adjusted[i]
      test.isSignificant = rejected[i]
      return test
    }
  }
}

/// The statistics a network's sub-clusters are tested on.
public enum ModuleTestKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// Importance: mean per-class accuracy after the lesion (left-sided).
  case lesionAccuracy
  /// Importance: class selectivity of the lesion's accuracy drops (right-sided).
  case lesionSelectivity
  /// Coherence: the feature-visualization objective reached (right-sided).
  case visualizationObjective
  /// Coherence: the entropy of the network's softmax on the visualization (left-sided).
  case visualizationEntropy
  /// Coherence: the entropy of the labels of the top dataset examples (left-sided).
  case datasetExampleEntropy

  /// The significant tail of the test.
  public var side: TestSide {
    switch self {
    case .lesionAccuracy, .visualizationEntropy, .datasetExampleEntropy: .left
    case .lesionSelectivity, .visualizationObjective: .right
    }
  }
}

/// One test combined across a network's sub-clusters by Fisher's method
/// (``RankStatistics/fisherCombination(_:randomSetCount:)``).
public struct CombinedTest: Sendable, Hashable, Codable {
  public var kind: ModuleTestKind
  /// The number of sub-clusters combined, `k`.
  public var subClusterCount: Int
  /// The number of random sets each sub-cluster was compared with, `n`.
  public var randomSetCount: Int
  /// Fisher's statistic `X = -2 sum log(p - 1/(2(n+1)))`.
  public var fisherStatistic: Double
  /// `2k`.
  public var degreesOfFreedom: Int
  /// The combined p-value, `P(chi2_{2k} > X)`.
  public var pValue: Double
  /// The Benjamini-Hochberg adjusted p-value across the network's combined tests.
  public var adjustedPValue: Double
  /// Whether the Benjamini-Hochberg procedure rejects the null (``adjustedPValue`` at most the
  /// false discovery rate, up to rounding; see ``RankStatistics/benjaminiHochberg(_:rate:)``).
  public var isSignificant: Bool
  /// The mean effect factor over the sub-clusters.
  public var meanEffectFactor: Double

  /// Fisher's method over `tests` (one per sub-cluster); nil without tests.
  public init?(kind: ModuleTestKind, tests: [RankTest]) {
    guard let n = tests.first?.randomValues.count,
      let (statistic, p) = RankStatistics.fisherCombination(tests.map(\.pValue), randomSetCount: n)
    else { return nil }
    self.kind = kind
    self.subClusterCount = tests.count
    self.randomSetCount = n
    self.fisherStatistic = statistic
    self.degreesOfFreedom = 2 * tests.count
    self.pValue = p
    self.adjustedPValue = p
    self.isSignificant = false
    self.meanEffectFactor = RankTest.mean(tests.map(\.effectFactor))
  }

  /// The tests with Benjamini-Hochberg adjusted p-values across them.
  public static func corrected(_ tests: [CombinedTest], rate: Double) -> [CombinedTest] {
    let (adjusted, rejected) = RankStatistics.benjaminiHochberg(tests.map(\.pValue), rate: rate)
    return tests.indices.map { i in
      var test = tests[i]
      test.adjustedPValue = adjusted[i]
      test.isSignificant = rejected[i]
      return test
    }
  }
}
