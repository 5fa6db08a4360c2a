import Tensors

/// Spearman rank correlations between the columns of a sample matrix, as
/// `scipy.stats.spearmanr(X)` computes them (Pearson correlation of average ranks).
///
/// Computed in three passes: each column is rank-transformed (ties get their average rank),
/// centred and scaled to unit norm, and one GEMM `Z^T Z` gives every correlation at once.
public struct SpearmanCorrelation: Sendable {
  /// The number of samples (rows) the correlations were computed over.
  public let sampleCount: Int
  /// `[m, m]` correlations `rho_ij`, symmetric. The diagonal is 1 for a column with a defined
  /// correlation; every entry of a constant or non-finite column is 0 (scipy gives NaN there).
  public let matrix: Tensor<Double>
  /// Columns whose values are all equal: zero rank variance, so no correlation is defined.
  public let constantColumns: [Int]
  /// Columns holding a NaN or infinite value: no ranking is defined (scipy propagates NaN).
  public let nonFiniteColumns: [Int]

  /// Correlates the columns of `samples` (`[n, m]`, one row per sample).
  ///
  /// - Throws: ``NeuronModulesError/invalidShape(_:)`` unless `samples` is `[n, m]` with `n >= 3`
  ///   (with two samples every correlation is +-1).
  public init(_ samples: Tensor<Double>) throws {
    guard samples.rank == 2 else {
      throw NeuronModulesError.invalidShape("rank correlations need a [samples, units] matrix, got shape \(samples.shape)")
    }
    let (n, m) = (samples.shape[0], samples.shape[1])
    guard n >= 3 else {
      throw NeuronModulesError.invalidShape("rank correlations need at least 3 samples, got \(n)")
    }
    let standardized = Self.standardizedRanks(samples)
    var rho = standardized.ranks.matmul(standardized.ranks, transposeSelf: true).scalars
    // GEMM may round (i, j) and (j, i) differently: mirror the upper triangle, clamp to [-1, 1].
    for i in 0..<m {
      let defined = !standardized.undefined[i]
      rho[i * m + i] = defined ? 1 : 0
      for j in (i + 1)..<m {
        let value = Swift.min(1, Swift.max(-1, rho[i * m + j]))
        rho[i * m + j] = value
        rho[j * m + i] = value
      }
    }
    self.sampleCount = n
    self.matrix = Tensor(shape: [m, m], scalars: rho)
    self.constantColumns = standardized.constant
    self.nonFiniteColumns = standardized.nonFinite
  }

  /// The 1-based ranks of `values`, ties receiving the mean of the ranks they span
  /// (`scipy.stats.rankdata(values, method="average")`). Values must be finite.
  public static func averageRanks(_ values: [Double]) -> [Double] {
    var ranks = [Double](repeating: 0, count: values.count)
    averageRanks(values, into: &ranks, order: Array(values.indices))
    return ranks
  }

  /// Writes the average ranks of `values` into `ranks`, reusing `order` as scratch.
  private static func averageRanks(_ values: [Double], into ranks: inout [Double], order: [Int]) {
    var order = order
    order.sort { values[$0] < values[$1] }
    var start = 0
    while start < order.count {
      var end = start + 1
      while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
      // Positions start..<end (0-based) share the rank ((start + 1) + end) / 2.
      let rank = Double(start + 1 + end) / 2
      for p in start..<end { ranks[order[p]] = rank }
      start = end
    }
  }

  /// `[n, m]` ranks, each column centred and scaled to unit norm; undefined columns are zero.
  private static func standardizedRanks(_ samples: Tensor<Double>)
    -> (ranks: Tensor<Double>, undefined: [Bool], constant: [Int], nonFinite: [Int])
  {
    let (n, m) = (samples.shape[0], samples.shape[1])
    let data = samples.scalars
    var result = [Double](repeating: 0, count: n * m)
    var undefined = [Bool](repeating: false, count: m)
    var constant: [Int] = []
    var nonFinite: [Int] = []
    var column = [Double](repeating: 0, count: n)
    var ranks = [Double](repeating: 0, count: n)
    let identity = Array(0..<n)
    let meanRank = Double(n + 1) / 2
    for j in 0..<m {
      var finite = true
      for i in 0..<n {
        let value = data[i * m + j]
        column[i] = value
        if !value.isFinite { finite = false }
      }
      guard finite else {
        undefined[j] = true
        nonFinite.append(j)
        continue
      }
      averageRanks(column, into: &ranks, order: identity)
      var sumOfSquares = 0.0
      for i in 0..<n {
        ranks[i] -= meanRank
        sumOfSquares += ranks[i] * ranks[i]
      }
      // All values equal: every rank is the mean, so the centred ranks are exactly 0.
      guard sumOfSquares > 0 else {
        undefined[j] = true
        constant.append(j)
        continue
      }
      let scale = 1 / sumOfSquares.squareRoot()
      for i in 0..<n { result[i * m + j] = ranks[i] * scale }
    }
    return (Tensor(shape: [n, m], scalars: result), undefined, constant, nonFinite)
  }
}
