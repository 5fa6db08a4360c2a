extension JonkerVolgenant {
  /// Column prices for a cold assignment problem from Bertsekas' forward auction with epsilon
  /// scaling (D. P. Bertsekas, "The auction algorithm: a distributed relaxation method for the
  /// assignment problem", Annals of Operations Research 14, 1988), to warm-start
  /// ``solve(_:n:prices:)``.
  ///
  /// Each phase frees every row; a free row bids for the column of its smallest reduced cost
  /// `c_ij - v_j`, lowering that column's price by the gap to its second smallest plus `epsilon`
  /// (Gauss-Seidel, one row at a time), and displaces the column's previous row. A phase ends when
  /// every row holds a column, leaving prices that are `epsilon`-optimal; `epsilon` starts at a
  /// quarter of the cost range and shrinks by `scaling` until it is below `finalRelativeEpsilon`
  /// times the range. The prices are only a starting point: Jonker-Volgenant from them is exact
  /// for any prices, and ends with few free rows because the auction's prices are nearly
  /// optimal. On the smooth, nearly low-rank costs of a Gromov-Wasserstein gradient at
  /// `n = 1000` this costs about 27 bids per row, 4 times less than the network simplex from a
  /// permutation basis and 8 times less than Jonker-Volgenant's own column reduction.
  ///
  /// A phase that needs more than `bidLimitPerRow * n` bids (a price war on near-ties) stops the
  /// auction early; the prices reached are returned as they are.
  static func auctionPrices(
    _ cost: UnsafePointer<Double>, n: Int, scaling: Double = 8, finalRelativeEpsilon: Double = 1e-7,
    bidLimitPerRow: Int = 200
  ) -> [Double] {
    precondition(n >= 1 && scaling > 1 && finalRelativeEpsilon > 0)
    if n == 1 { return [cost[0]] }
    var lowest = Double.infinity
    var highest = -Double.infinity
    for e in 0..<(n * n) {
      lowest = Swift.min(lowest, cost[e])
      highest = Swift.max(highest, cost[e])
    }
    var prices = [Double](repeating: 0, count: n)
    let range = highest - lowest
    guard range > 0 else { return prices }
    var epsilon = range / 4
    let finalEpsilon = range * finalRelativeEpsilon
    var owner = [Int](repeating: -1, count: n)
    // A ring buffer of the free rows.
    var queue = [Int](repeating: 0, count: n)
    prices.withUnsafeMutableBufferPointer { v in
      owner.withUnsafeMutableBufferPointer { owner in
        queue.withUnsafeMutableBufferPointer { queue in
          phases: while true {
            for i in 0..<n {
              owner[i] = -1
              queue[i] = i
            }
            var head = 0
            var freeCount = n
            var bids = 0
            while freeCount > 0 {
              bids += 1
              if bids > bidLimitPerRow * n { break phases }
              let i = queue[head]
              head = head + 1 == n ? 0 : head + 1
              freeCount -= 1
              let best = AssignmentKernels.twoSmallest(cost + i * n, UnsafePointer(v.baseAddress!), count: n)
              let column = best.lowestColumn
              v[column] -= best.second - best.lowest + epsilon
              let displaced = owner[column]
              owner[column] = i
              if displaced >= 0 {
                let tail = head + freeCount
                queue[tail >= n ? tail - n : tail] = displaced
                freeCount += 1
              }
            }
            if epsilon <= finalEpsilon { break }
            epsilon /= scaling
          }
        }
      }
    }
    return prices
  }
}
