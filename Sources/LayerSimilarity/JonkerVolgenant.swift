/// The Jonker-Volgenant algorithm (LAPJV) for dense square linear assignment problems.
///
/// R. Jonker and A. Volgenant, "A shortest augmenting path algorithm for dense and sparse
/// linear assignment problems", Computing 38 (1987). Column reduction, reduction transfer and
/// two passes of augmenting row reduction build a partial assignment with feasible column
/// prices `v`; each remaining free row is then assigned along a shortest augmenting path
/// (Dijkstra on reduced costs `c_ij - v_j`), `O(n^3)` in the worst case and much less on typical
/// dense matrices. Costs are `Double`; the augmenting row reduction is capped so that
/// floating-point near-ties cannot make it cycle (the augmentation phase is exact regardless).
enum JonkerVolgenant {
  /// The column assigned to each row for the `n x n` row-major `cost`, minimizing the sum.
  static func solve(_ cost: UnsafePointer<Double>, n: Int) -> [Int] {
    solve(cost, n: n, prices: nil).assignment
  }

  /// The optimal assignment and the final column prices `v` (`c_{i, sigma(i)} - v_{sigma(i)}` is
  /// the minimum of row `i` of the reduced costs).
  ///
  /// Given `prices` (for example the prices of a nearby problem), the column reduction is skipped
  /// and every row starts free: augmenting row reduction from those prices assigns most rows in
  /// `O(n)` each when they are nearly optimal, and the shortest augmenting paths stay exact for
  /// any starting prices (row reduction only lowers prices, so every assigned row keeps its
  /// cheapest reduced cost).
  static func solve(_ cost: UnsafePointer<Double>, n: Int, prices initialPrices: [Double]?) -> (
    assignment: [Int], prices: [Double]
  ) {
    precondition(n >= 1)
    if n == 1 { return ([0], [cost[0]]) }
    var rowSolution = [Int](repeating: -1, count: n)
    var columnSolution = [Int](repeating: -1, count: n)
    var prices = initialPrices ?? [Double](repeating: 0, count: n)
    precondition(prices.count == n)
    var free = [Int](repeating: 0, count: n)
    var freeCount = 0
    rowSolution.withUnsafeMutableBufferPointer { rowsol in
      columnSolution.withUnsafeMutableBufferPointer { colsol in
        prices.withUnsafeMutableBufferPointer { v in
          free.withUnsafeMutableBufferPointer { free in
            if initialPrices == nil {
              freeCount = reduceColumns(cost, n: n, rowsol: rowsol, colsol: colsol, v: v, free: free)
            } else {
              for i in 0..<n { free[i] = i }
              freeCount = n
            }
            for _ in 0..<2 {
              freeCount = reduceRows(cost, n: n, rowsol: rowsol, colsol: colsol, v: v, free: free, freeCount: freeCount)
            }
            augment(cost, n: n, rowsol: rowsol, colsol: colsol, v: v, free: free, freeCount: freeCount)
          }
        }
      }
    }
    return (rowSolution, prices)
  }

  /// Column reduction and reduction transfer; returns the number of free rows written to `free`.
  private static func reduceColumns(
    _ c: UnsafePointer<Double>, n: Int, rowsol: UnsafeMutableBufferPointer<Int>, colsol: UnsafeMutableBufferPointer<Int>,
    v: UnsafeMutableBufferPointer<Double>, free: UnsafeMutableBufferPointer<Int>
  ) -> Int {
    // v_j = min_i c_ij, scanning rows for cache-friendly access.
    var minimumRow = [Int](repeating: 0, count: n)
    for j in 0..<n { v[j] = c[j] }
    for i in 1..<n {
      let row = c + i * n
      for j in 0..<n where row[j] < v[j] {
        v[j] = row[j]
        minimumRow[j] = i
      }
    }
    var matches = [Int](repeating: 0, count: n)
    for j in stride(from: n - 1, through: 0, by: -1) {
      let i = minimumRow[j]
      matches[i] += 1
      if matches[i] == 1 {
        rowsol[i] = j
        colsol[j] = i
      } else if v[j] < v[rowsol[i]] {
        let previous = rowsol[i]
        rowsol[i] = j
        colsol[j] = i
        colsol[previous] = -1
      } else {
        colsol[j] = -1
      }
    }
    // Reduction transfer: a row assigned once lowers its column's price by its second-best
    // reduced cost, which keeps the assigned column optimal for the row.
    var freeCount = 0
    for i in 0..<n {
      if matches[i] == 0 {
        free[freeCount] = i
        freeCount += 1
      } else if matches[i] == 1 {
        let assigned = rowsol[i]
        let row = c + i * n
        var minimum = Double.infinity
        for j in 0..<n where j != assigned {
          let h = row[j] - v[j]
          if h < minimum { minimum = h }
        }
        v[assigned] -= minimum
      }
    }
    return freeCount
  }

  /// One pass of augmenting row reduction; returns the number of rows still free.
  private static func reduceRows(
    _ c: UnsafePointer<Double>, n: Int, rowsol: UnsafeMutableBufferPointer<Int>, colsol: UnsafeMutableBufferPointer<Int>,
    v: UnsafeMutableBufferPointer<Double>, free: UnsafeMutableBufferPointer<Int>, freeCount previousFreeCount: Int
  ) -> Int {
    var k = 0
    var freeCount = 0
    var steps = 0
    let stepLimit = 4 * n + 100
    while k < previousFreeCount {
      steps += 1
      if steps > stepLimit {
        // Leave the unprocessed rows to the augmentation phase (freeCount <= k, so the
        // forward copy never overwrites a row it still has to read).
        while k < previousFreeCount {
          free[freeCount] = free[k]
          freeCount += 1
          k += 1
        }
        break
      }
      let i = free[k]
      k += 1
      let (lowest, lowestColumn, second, secondColumn) = AssignmentKernels.twoSmallest(
        c + i * n, UnsafePointer(v.baseAddress!), count: n)
      var column = lowestColumn
      var displaced = colsol[column]
      if lowest < second {
        // Lower the price so that the row's best column stays optimal while it takes it.
        v[column] -= second - lowest
      } else if displaced >= 0 {
        column = secondColumn
        displaced = colsol[column]
      }
      rowsol[i] = column
      colsol[column] = i
      if displaced >= 0 {
        rowsol[displaced] = -1
        if lowest < second {
          k -= 1
          free[k] = displaced
        } else {
          free[freeCount] = displaced
          freeCount += 1
        }
      }
    }
    return freeCount
  }

  /// Assigns each free row along a shortest augmenting path (Dijkstra on the reduced costs, one
  /// vectorized relaxation per scanned row) and updates the prices of the scanned columns.
  private static func augment(
    _ c: UnsafePointer<Double>, n: Int, rowsol: UnsafeMutableBufferPointer<Int>, colsol: UnsafeMutableBufferPointer<Int>,
    v: UnsafeMutableBufferPointer<Double>, free: UnsafeMutableBufferPointer<Int>, freeCount: Int
  ) {
    if freeCount == 0 { return }
    let d = UnsafeMutablePointer<Double>.allocate(capacity: n)
    let blocked = UnsafeMutablePointer<Double>.allocate(capacity: n)
    let predecessor = UnsafeMutablePointer<Double>.allocate(capacity: n)
    let scanned = UnsafeMutablePointer<Int>.allocate(capacity: n)
    defer {
      d.deallocate()
      blocked.deallocate()
      predecessor.deallocate()
      scanned.deallocate()
    }
    let prices = UnsafePointer(v.baseAddress!)
    for f in 0..<freeCount {
      let freeRow = free[f]
      d.update(repeating: .infinity, count: n)
      blocked.update(repeating: 0, count: n)
      var (minimum, column) = AssignmentKernels.relax(
        c + freeRow * n, prices, offset: 0, source: freeRow, distances: d, blocked: blocked, predecessors: predecessor,
        count: n)
      var scannedCount = 0
      while colsol[column] >= 0 {
        blocked[column] = .infinity
        scanned[scannedCount] = column
        scannedCount += 1
        let i = colsol[column]
        let row = c + i * n
        (minimum, column) = AssignmentKernels.relax(
          row, prices, offset: row[column] - v[column] - minimum, source: i, distances: d, blocked: blocked,
          predecessors: predecessor, count: n)
      }
      for k in 0..<scannedCount {
        let j = scanned[k]
        v[j] += d[j] - minimum
      }
      var endOfPath = column
      while true {
        let i = Int(predecessor[endOfPath])
        colsol[endOfPath] = i
        let next = rowsol[i]
        rowsol[i] = endOfPath
        if i == freeRow { break }
        endOfPath = next
      }
    }
  }
}
