import Tensors

/// Exact (unregularized) discrete optimal transport between weighted point sets.
public enum OptimalTransport {
  /// A transport plan `T` stored sparsely: `masses[k]` moves from row `rows[k]` to column
  /// `columns[k]`; every other entry is zero.
  public struct Plan: Sendable {
    /// The number of rows of `T` (source points).
    public let rowCount: Int
    /// The number of columns of `T` (target points).
    public let columnCount: Int
    /// The row of each stored entry.
    public let rows: [Int]
    /// The column of each stored entry.
    public let columns: [Int]
    /// The positive mass of each stored entry.
    public let masses: [Double]
    /// The transport cost `<M, T>`.
    public let cost: Double
    /// Dual potentials `u` (rows) and `v` (columns): `u_i + v_j <= M_ij` within rounding, with
    /// equality on the support, so `<u, p> + <v, q>` equals ``cost`` at the optimum.
    public let rowPotentials: [Double]
    /// See ``rowPotentials``.
    public let columnPotentials: [Double]

    /// The plan as a dense `[rowCount, columnCount]` tensor.
    public var dense: Tensor<Double> {
      var values = [Double](repeating: 0, count: rowCount * columnCount)
      for k in rows.indices { values[rows[k] * columnCount + columns[k]] += masses[k] }
      return Tensor(shape: [rowCount, columnCount], scalars: values)
    }
  }

  /// Solves `min <M, T>` over `T >= 0` with `T 1 = p` and `T^T 1 = q` exactly, by the network
  /// simplex (strongly feasible spanning trees, block search pricing). The plan is a vertex of
  /// the transport polytope with at most `n + m - 1` positive entries.
  ///
  /// - Parameters:
  ///   - costs: the cost matrix `M`, `[n, m]`, finite.
  ///   - source: the row marginal `p` (`n` non-negative finite weights summing to 1 within 1e-9).
  ///   - target: the column marginal `q` (`m` weights, likewise).
  /// - Throws: ``LayerSimilarityError`` for non-finite costs or invalid marginals.
  public static func exact(costs: Tensor<Double>, source: Tensor<Double>, target: Tensor<Double>) throws -> Plan {
    guard costs.rank == 2, costs.shape[0] > 0, costs.shape[1] > 0 else {
      throw LayerSimilarityError.invalidOption("transport costs must be a non-empty matrix, got shape \(costs.shape)")
    }
    let n = costs.shape[0]
    let m = costs.shape[1]
    if let index = costs.scalars.firstIndex(where: { !$0.isFinite }) {
      throw LayerSimilarityError.invalidOption("transport cost (\(index / m), \(index % m)) is \(costs.scalars[index])")
    }
    let p = try SampleWeights.validated(source, count: n, layer: "source").values
    let q = try SampleWeights.validated(target, count: m, layer: "target").values
    let solution = costs.scalars.withUnsafeBufferPointer {
      NetworkSimplex.solve(cost: $0.baseAddress!, n: n, m: m, p: p, q: q)
    }
    var total = 0.0
    for k in solution.rows.indices {
      total += solution.masses[k] * costs.scalars[solution.rows[k] * m + solution.columns[k]]
    }
    return Plan(
      rowCount: n, columnCount: m, rows: solution.rows, columns: solution.columns, masses: solution.masses, cost: total,
      rowPotentials: solution.rowPotentials, columnPotentials: solution.columnPotentials)
  }
}
