import Foundation

/// Which tail of the random distribution counts as evidence for a sub-cluster.
public enum TestSide: String, Sendable, Hashable, Codable {
  /// Small values are significant (e.g. accuracy after a lesion, an entropy).
  case left
  /// Large values are significant (e.g. class selectivity, a visualization objective).
  case right
}

/// The rank statistics of the local-specialization paper (Hod et al., arXiv 2110.08058):
/// rank p-values against random sets, Fisher's method on shifted rank p-values, and the
/// Benjamini-Hochberg procedure.
public enum RankStatistics {
  /// The rank p-value of `value` against `randomValues` (n of them), one-sided.
  ///
  /// Left-sided: `p = (#{random <= value} + 1) / (n + 1)`; right-sided:
  /// `p = (#{random >= value} + 1) / (n + 1)`. The paper writes `#{random < value}`; the two
  /// agree without ties, and counting ties against significance keeps the test valid when
  /// statistics tie (a lesion that changes no prediction, like every random lesion of a layer of
  /// units that never fire, gets `p = 1`, not the smallest possible `1 / (n + 1)`).
  public static func rankPValue(_ value: Double, randomValues: [Double], side: TestSide) -> Double {
    let count =
      switch side {
      case .left: randomValues.filter { $0 <= value }.count
      case .right: randomValues.filter { $0 >= value }.count
      }
    return Double(count + 1) / Double(randomValues.count + 1)
  }

  /// The survival function `P(X > x)` of a chi-square variable with an even number `2k` of
  /// degrees of freedom, in closed form: `exp(-x/2) * sum_{j<k} (x/2)^j / j!`, summed in log space.
  ///
  /// - Precondition: `degreesOfFreedom` is even and positive.
  public static func chiSquareSurvival(_ x: Double, degreesOfFreedom: Int) -> Double {
    precondition(degreesOfFreedom > 0 && degreesOfFreedom % 2 == 0, "needs an even, positive number of degrees of freedom")
    guard x > 0 else { return 1 }
    guard x.isFinite else { return 0 }
    let half = x / 2
    let logHalf = Foundation.log(half)
    var logTerms: [Double] = []
    logTerms.reserveCapacity(degreesOfFreedom / 2)
    var logTerm = -half  // j = 0
    for j in 0..<(degreesOfFreedom / 2) {
      if j > 0 { logTerm += logHalf - Foundation.log(Double(j)) }
      logTerms.append(logTerm)
    }
    let largest = logTerms.max()!
    let sum = logTerms.reduce(0) { $0 + Foundation.exp($1 - largest) }
    return Swift.min(1, Foundation.exp(largest + Foundation.log(sum)))
  }

  /// Fisher's method on rank p-values from `randomSetCount` random sets each (as the authors'
  /// `combine_ps`): every p-value is first shifted by `-1 / (2 (n + 1))`, which centres the
  /// discrete uniform null `{1, ..., n + 1} / (n + 1)` on 1/2; then `X = -2 sum log p'` is
  /// compared with a chi-square distribution with `2k` degrees of freedom.
  ///
  /// - Returns: nil for no p-values; else the statistic `X` and the combined p-value (what
  ///   `scipy.stats.combine_pvalues(p', method="fisher")` returns).
  public static func fisherCombination(_ pValues: [Double], randomSetCount: Int) -> (statistic: Double, pValue: Double)? {
    guard !pValues.isEmpty else { return nil }
    let shift = 1 / (2 * Double(randomSetCount + 1))
    let statistic = -2 * pValues.reduce(0) { $0 + Foundation.log($1 - shift) }
    return (statistic, chiSquareSurvival(statistic, degreesOfFreedom: 2 * pValues.count))
  }

  /// The Benjamini-Hochberg step-up procedure at false discovery rate `rate` (as
  /// `statsmodels.stats.multitest.multipletests(p, alpha, method="fdr_bh")`).
  ///
  /// - Returns: the adjusted p-values `min_{j >= i} p_(j) m / j` (capped at 1, in the input
  ///   order) and whether each hypothesis is rejected: those with the `i*` smallest p-values,
  ///   `i*` the largest `i` with `p_(i) <= rate * i / m` (statsmodels' comparison, which keeps
  ///   `p_(i) = rate * i / m` rejected despite rounding in `p_(i) m / i`).
  public static func benjaminiHochberg(_ pValues: [Double], rate: Double) -> (adjusted: [Double], rejected: [Bool]) {
    let m = pValues.count
    guard m > 0 else { return ([], []) }
    let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
    var adjusted = [Double](repeating: 1, count: m)
    var running = 1.0
    var rejectedCount = 0
    for rank in stride(from: m, through: 1, by: -1) {
      let index = order[rank - 1]
      running = Swift.min(running, pValues[index] * Double(m) / Double(rank))
      adjusted[index] = Swift.min(1, running)
      if rejectedCount == 0, pValues[index] <= rate * Double(rank) / Double(m) { rejectedCount = rank }
    }
    var rejected = [Bool](repeating: false, count: m)
    for rank in 0..<rejectedCount { rejected[order[rank]] = true }
    return (adjusted, rejected)
  }

  /// The Shannon entropy in nats of the distribution proportional to `weights` (as
  /// `scipy.stats.entropy`); 0 for all-zero weights.
  public static func entropy(_ weights: [Double]) -> Double {
    let total = weights.reduce(0, +)
    guard total > 0 else { return 0 }
    var sum = 0.0
    for w in weights where w > 0 {
      let p = w / total
      sum -= p * Foundation.log(p)
    }
    return sum
  }

  /// The effect factor `2 v / (v + r)` of a statistic `v` against the mean `r` of the random
  /// sets' values (both nonnegative): 1 when they agree, above 1 when `v` is larger. Defined as
  /// 1 when both are 0, 2 when only `v` is infinite, 0 when only `r` is.
  public static func effectFactor(_ value: Double, randomMean: Double) -> Double {
    switch (value.isInfinite, randomMean.isInfinite) {
    case (true, true): return 1
    case (true, false): return 2
    case (false, true): return 0
    case (false, false):
      let denominator = value + randomMean
      return denominator > 0 ? 2 * value / denominator : 1
    }
  }
}
