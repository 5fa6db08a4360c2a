import Tensors

/// The linear assignment problem: match rows to columns of a cost matrix at minimum total cost.
///
/// For an `r x c` matrix every row is matched to a distinct column when `r <= c` (otherwise every
/// column to a distinct row), like `scipy.optimize.linear_sum_assignment`. Square problems are
/// solved by the Jonker-Volgenant shortest augmenting path algorithm (`O(n^3)`, `Double`);
/// rectangular ones are padded to square with zero-cost dummy rows.
public enum LinearAssignment {
  /// An optimal matching: `rows[k]` is matched to `columns[k]`, with `rows` ascending.
  public struct Solution: Sendable, Equatable {
    /// The matched rows, ascending.
    public let rows: [Int]
    /// The column matched to each entry of `rows`.
    public let columns: [Int]
    /// The total cost of the matching, summed in `Double`.
    public let cost: Double
  }

  /// Solves the assignment problem for `costs` (`[rows, columns]`, finite).
  ///
  /// - Parameters:
  ///   - costs: the cost of matching row `i` to column `j`.
  ///   - maximize: maximizes the total instead of minimizing it.
  /// - Throws: ``LayerSimilarityError/invalidOption(_:)`` for a matrix that is not rank 2, is
  ///   empty or holds a non-finite value.
  public static func solve(costs: Tensor<Double>, maximize: Bool = false) throws -> Solution {
    guard costs.rank == 2, costs.shape[0] > 0, costs.shape[1] > 0 else {
      throw LayerSimilarityError.invalidOption("assignment costs must be a non-empty matrix, got shape \(costs.shape)")
    }
    if let index = costs.scalars.firstIndex(where: { !$0.isFinite }) {
      throw LayerSimilarityError.invalidOption(
        "assignment cost (\(index / costs.shape[1]), \(index % costs.shape[1])) is \(costs.scalars[index])")
    }
    let rows = costs.shape[0]
    let columns = costs.shape[1]
    let sign: Double = maximize ? -1 : 1
    let transposed = rows > columns
    let (small, large) = transposed ? (columns, rows) : (rows, columns)
    // The square problem: `small` real rows (of the possibly transposed matrix), then dummies.
    var square = [Double](repeating: 0, count: large * large)
    for i in 0..<rows {
      for j in 0..<columns {
        let value = sign * costs.scalars[i * columns + j]
        if transposed { square[j * large + i] = value } else { square[i * large + j] = value }
      }
    }
    let assignment = square.withUnsafeBufferPointer { JonkerVolgenant.solve($0.baseAddress!, n: large) }
    var pairs: [(row: Int, column: Int)] = []
    pairs.reserveCapacity(small)
    for i in 0..<small {
      pairs.append(transposed ? (assignment[i], i) : (i, assignment[i]))
    }
    pairs.sort { $0.row < $1.row }
    let total = pairs.reduce(0.0) { $0 + costs.scalars[$1.row * columns + $1.column] }
    return Solution(rows: pairs.map(\.row), columns: pairs.map(\.column), cost: total)
  }
}
