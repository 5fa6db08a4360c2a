import Foundation
import Testing

@testable import NeuronModules

@Suite struct RankStatisticsTests {
  let fixtures = ModuleStatsFixtures.shared

  @Test func rankPValuesCountTiesAgainstSignificance() {
    let random = [0.5, 0.7, 0.7, 0.9]
    #expect(RankStatistics.rankPValue(0.4, randomValues: random, side: .left) == 1.0 / 5)
    #expect(RankStatistics.rankPValue(0.7, randomValues: random, side: .left) == 4.0 / 5)
    #expect(RankStatistics.rankPValue(0.8, randomValues: random, side: .left) == 4.0 / 5)
    #expect(RankStatistics.rankPValue(1.0, randomValues: random, side: .right) == 1.0 / 5)
    #expect(RankStatistics.rankPValue(0.7, randomValues: random, side: .right) == 4.0 / 5)
    // A statistic tied with every random value is not evidence: p = 1 on either side.
    #expect(RankStatistics.rankPValue(1, randomValues: [1, 1, 1], side: .left) == 1)
    #expect(RankStatistics.rankPValue(1, randomValues: [1, 1, 1], side: .right) == 1)
    #expect(RankStatistics.rankPValue(.infinity, randomValues: [0, 2], side: .right) == 1.0 / 3)
  }

  @Test func fisherMatchesScipyCombinePvalues() throws {
    for (k, fixture) in fixtures.fisher.enumerated() {
      let result = try #require(RankStatistics.fisherCombination(fixture.pValues, randomSetCount: fixture.randomSetCount))
      #expect(Swift.abs(result.statistic - fixture.statistic) <= 1e-10 * fixture.statistic, "case \(k)")
      #expect(
        Swift.abs(result.pValue - fixture.pValue) <= 1e-10 * fixture.pValue, "case \(k): \(result.pValue) vs \(fixture.pValue)")
    }
    #expect(RankStatistics.fisherCombination([], randomSetCount: 19) == nil)
  }

  @Test func chiSquareSurvivalMatchesScipy() {
    for fixture in fixtures.chi2 {
      let value = RankStatistics.chiSquareSurvival(fixture.x, degreesOfFreedom: fixture.degreesOfFreedom)
      #expect(
        Swift.abs(value - fixture.survival) <= 1e-11 * fixture.survival,
        "x \(fixture.x), dof \(fixture.degreesOfFreedom): \(value) vs \(fixture.survival)")
    }
    #expect(RankStatistics.chiSquareSurvival(0, degreesOfFreedom: 4) == 1)
    #expect(RankStatistics.chiSquareSurvival(.infinity, degreesOfFreedom: 4) == 0)
  }

  @Test func benjaminiHochbergMatchesStatsmodelsRule() {
    for (k, fixture) in fixtures.bh.enumerated() {
      let (adjusted, rejected) = RankStatistics.benjaminiHochberg(fixture.pValues, rate: fixture.alpha)
      #expect(rejected == fixture.rejected, "case \(k)")
      for (a, b) in zip(adjusted, fixture.adjusted) { #expect(Swift.abs(a - b) <= 1e-14, "case \(k)") }
    }
    #expect(RankStatistics.benjaminiHochberg([], rate: 0.05).adjusted.isEmpty)
  }

  @Test func entropyMatchesScipy() {
    for fixture in fixtures.entropy {
      #expect(Swift.abs(RankStatistics.entropy(fixture.weights) - fixture.entropy) <= 1e-14)
    }
    #expect(RankStatistics.entropy([0, 0]) == 0)
    #expect(Swift.abs(labelEntropy([3, 3, 1, 1]) - Foundation.log(2)) < 1e-15)
    #expect(labelEntropy([2, 2, 2]) == 0)
  }

  @Test func effectFactors() {
    #expect(RankStatistics.effectFactor(3, randomMean: 1) == 1.5)
    #expect(RankStatistics.effectFactor(0, randomMean: 0) == 1)
    #expect(RankStatistics.effectFactor(2, randomMean: 0) == 2)
    #expect(RankStatistics.effectFactor(.infinity, randomMean: 4) == 2)
    #expect(RankStatistics.effectFactor(4, randomMean: .infinity) == 0)
    #expect(classSelectivity([0, 0, 1, 0]) == 4)
    #expect(classSelectivity([0.1, 0.1]) == 0)
    #expect(classSelectivity([0.2, -0.2]) == .infinity)
    // Negative mean change (accuracy rises on average): the range over |mean|, like ptp(c / mean(c)).
    #expect(Swift.abs(classSelectivity([-0.1, -0.3]) - 1) < 1e-12)
  }

  @Test func combinedTestsAndCorrections() throws {
    let tests = [0.05, 0.05, 0.1, 1].map { p in
      RankTest(value: 0, randomValues: (0..<19).map { Double($0 < Int(p * 20) - 1 ? -1 : 1) }, side: .left)
    }
    #expect(tests.map(\.pValue) == [0.05, 0.05, 0.1, 1])
    let corrected = RankTest.correctedAcrossSubClusters(tests, rate: 0.05)
    #expect(corrected.map(\.adjustedPValue) == [0.1, 0.1, 0.4 / 3, 1])
    #expect(corrected.allSatisfy { !$0.isSignificant })
    let combined = try #require(CombinedTest(kind: .lesionAccuracy, tests: corrected))
    let reference = try #require(RankStatistics.fisherCombination([0.05, 0.05, 0.1, 1], randomSetCount: 19))
    #expect(combined.fisherStatistic == reference.statistic && combined.pValue == reference.pValue)
    #expect(combined.degreesOfFreedom == 8 && combined.subClusterCount == 4 && combined.randomSetCount == 19)
    #expect(CombinedTest(kind: .lesionAccuracy, tests: []) == nil)
  }
}
