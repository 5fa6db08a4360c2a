import Foundation
import Tensors
import Testing

@testable import LayerSimilarity

/// The vectorized row scans of Jonker-Volgenant against plain loops, and the assignment solver
/// on sizes where those scans run their eight-lane bodies, against the network simplex.
@Suite struct AssignmentKernelTests {
  /// Rows of integers in 0..<3 (many ties) or continuous values, with a tail after the lanes.
  func row(_ count: Int, ties: Bool, using generator: inout SeededGenerator) -> [Double] {
    (0..<count).map { _ in ties ? Double(generator.nextInt(below: 3)) : generator.nextUniform(in: -2.0..<2.0) }
  }

  @Test func twoSmallestMatchesAPlainScan() {
    var generator = SeededGenerator(seed: 21)
    for trial in 0..<400 {
      let count = 2 + generator.nextInt(below: 40)
      let costs = row(count, ties: trial % 2 == 0, using: &generator)
      let prices = row(count, ties: trial % 4 == 0, using: &generator)
      let reduced = (0..<count).map { costs[$0] - prices[$0] }
      // The lowest value at its lowest column, then the lowest value among the other columns.
      let lowestColumn = reduced.indices.min { (reduced[$0], $0) < (reduced[$1], $1) }!
      let secondColumn = reduced.indices.filter { $0 != lowestColumn }.min { (reduced[$0], $0) < (reduced[$1], $1) }!
      let result = AssignmentKernels.twoSmallest(costs, prices, count: count)
      #expect(result.lowest == reduced[lowestColumn] && result.lowestColumn == lowestColumn, "trial \(trial)")
      #expect(result.second == reduced[secondColumn] && result.secondColumn == secondColumn, "trial \(trial)")
    }
  }

  @Test func relaxMatchesAPlainScan() {
    var generator = SeededGenerator(seed: 22)
    for trial in 0..<400 {
      let count = 1 + generator.nextInt(below: 40)
      let costs = row(count, ties: trial % 2 == 0, using: &generator)
      let prices = row(count, ties: false, using: &generator)
      let offset = generator.nextUniform(in: -1.0..<1.0)
      var distances = (0..<count).map { _ in generator.nextInt(below: 5) == 0 ? .infinity : generator.nextUniform(in: -3.0..<3.0)
      }
      let blocked = (0..<count).map { _ in generator.nextInt(below: 4) == 0 ? Double.infinity : 0 }
      var predecessors = (0..<count).map { _ in Double(generator.nextInt(below: 9)) }
      var expectedDistances = distances
      var expectedPredecessors = predecessors
      var expected: (distance: Double, column: Int) = (.infinity, -1)
      for j in 0..<count where blocked[j] == 0 {
        let candidate = costs[j] - prices[j] - offset
        if candidate < expectedDistances[j] {
          expectedDistances[j] = candidate
          expectedPredecessors[j] = 42
        }
        if expectedDistances[j] < expected.distance { expected = (expectedDistances[j], j) }
      }
      let result = distances.withUnsafeMutableBufferPointer { d in
        predecessors.withUnsafeMutableBufferPointer { p in
          AssignmentKernels.relax(
            costs, prices, offset: offset, source: 42, distances: d.baseAddress!, blocked: blocked,
            predecessors: p.baseAddress!, count: count)
        }
      }
      #expect(distances == expectedDistances, "trial \(trial)")
      #expect(predecessors == expectedPredecessors, "trial \(trial)")
      #expect(result.column == expected.column && (result.column < 0 || result.distance == expected.distance), "trial \(trial)")
    }
  }

  /// Costs like a Gromov-Wasserstein gradient: `-C1 P C2^T` for distance matrices of point clouds.
  func gradientCosts(_ n: Int, using generator: inout SeededGenerator) -> [Double] {
    func distances(_ dimension: Int) -> [Double] {
      let x = (0..<(n * dimension)).map { _ in generator.nextStandardNormal() }
      var d = [Double](repeating: 0, count: n * n)
      for i in 0..<n {
        for j in 0..<n {
          d[i * n + j] = (0..<dimension).reduce(0.0) { $0 + pow(x[i * dimension + $1] - x[j * dimension + $1], 2) }.squareRoot()
        }
      }
      return d
    }
    let c1 = distances(3)
    let c2 = distances(5)
    let sigma = generator.permutation(n)
    var costs = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0..<n {
        costs[i * n + j] = -(0..<n).reduce(0.0) { $0 + c1[i * n + $1] * c2[j * n + sigma[$1]] } / Double(n)
      }
    }
    return costs
  }

  @Test func assignmentFromAnyPricesMatchesTheNetworkSimplexOnLargerProblems() {
    var generator = SeededGenerator(seed: 23)
    for trial in 0..<24 {
      let n = [9, 16, 17, 33, 64, 101][trial % 6]
      let costs: [Double] =
        switch trial / 6 {
        case 0: (0..<(n * n)).map { _ in Double(generator.nextInt(below: 3)) }
        case 1: (0..<(n * n)).map { _ in generator.nextUniform(in: -3.0..<3.0) }
        default: gradientCosts(n, using: &generator)
        }
      let uniform = [Double](repeating: 1 / Double(n), count: n)
      let plan = costs.withUnsafeBufferPointer {
        NetworkSimplex.solve(cost: $0.baseAddress!, n: n, m: n, p: uniform, q: uniform)
      }
      #expect(plan.isOptimal)
      let optimum = plan.rows.indices.reduce(0.0) { $0 + plan.masses[$1] * costs[plan.rows[$1] * n + plan.columns[$1]] }
      let auction = costs.withUnsafeBufferPointer { JonkerVolgenant.auctionPrices($0.baseAddress!, n: n) }
      let noise = (0..<n).map { _ in generator.nextUniform(in: -10.0..<10.0) }
      for (name, prices) in [("none", nil), ("auction", auction), ("noise", noise)] as [(String, [Double]?)] {
        let solution = costs.withUnsafeBufferPointer { JonkerVolgenant.solve($0.baseAddress!, n: n, prices: prices) }
        #expect(Set(solution.assignment).count == n)
        let cost = solution.assignment.enumerated().reduce(0.0) { $0 + costs[$1.offset * n + $1.element] } / Double(n)
        #expect(Swift.abs(cost - optimum) <= 1e-12 * Swift.max(1, Swift.abs(optimum)), "trial \(trial), prices \(name)")
        for i in 0..<n {
          let assigned = costs[i * n + solution.assignment[i]] - solution.prices[solution.assignment[i]]
          let lowest = (0..<n).map { costs[i * n + $0] - solution.prices[$0] }.min()!
          #expect(assigned <= lowest + 1e-9, "trial \(trial), prices \(name), row \(i)")
        }
      }
    }
  }

  @Test func auctionPricesAreNearlyOptimal() {
    // With epsilon-optimal prices every row's best reduced cost is within n epsilon of the
    // optimum's: Jonker-Volgenant from them leaves few rows for the augmenting paths, which
    // shows as prices that barely move.
    var generator = SeededGenerator(seed: 24)
    let n = 64
    let costs = gradientCosts(n, using: &generator)
    let auction = costs.withUnsafeBufferPointer { JonkerVolgenant.auctionPrices($0.baseAddress!, n: n) }
    let solution = costs.withUnsafeBufferPointer { JonkerVolgenant.solve($0.baseAddress!, n: n, prices: auction) }
    let range = costs.max()! - costs.min()!
    let moved = zip(auction, solution.prices).map { Swift.abs($0 - $1) }.max()!
    #expect(moved <= 1e-3 * range)
  }
}
