import Foundation
import Tensors
import Testing

@testable import LayerSimilarity

/// The minimum assignment cost by enumerating every injective map of the smaller side.
func bruteForceAssignmentCost(_ costs: [[Double]]) -> Double {
  let rows = costs.count
  let columns = costs[0].count
  if rows > columns {
    let transposed = (0..<columns).map { j in (0..<rows).map { costs[$0][j] } }
    return bruteForceAssignmentCost(transposed)
  }
  var best = Double.infinity
  var used = [Bool](repeating: false, count: columns)
  func visit(_ row: Int, _ total: Double) {
    if row == rows {
      best = Swift.min(best, total)
      return
    }
    for column in 0..<columns where !used[column] {
      used[column] = true
      visit(row + 1, total + costs[row][column])
      used[column] = false
    }
  }
  visit(0, 0)
  return best
}

@Suite struct AssignmentTests {
  @Test func matchesBruteForceOnSmallRandomMatrices() throws {
    var generator = SeededGenerator(seed: 7)
    for trial in 0..<300 {
      let rows = 1 + generator.nextInt(below: 7)
      let columns = trial % 3 == 0 ? rows : 1 + generator.nextInt(below: 7)
      // Every third matrix has small integer costs, so ties are common.
      let costs: [[Double]] = (0..<rows).map { _ in
        (0..<columns).map { _ in
          trial % 2 == 0 ? Double(generator.nextInt(below: 4)) : generator.nextUniform(in: -5.0..<5.0)
        }
      }
      let solution = try LinearAssignment.solve(costs: Tensor(rows: costs))
      #expect(solution.rows.count == Swift.min(rows, columns))
      #expect(Set(solution.rows).count == solution.rows.count && Set(solution.columns).count == solution.columns.count)
      let recomputed = zip(solution.rows, solution.columns).reduce(0.0) { $0 + costs[$1.0][$1.1] }
      #expect(Swift.abs(recomputed - solution.cost) < 1e-12)
      let expected = bruteForceAssignmentCost(costs)
      #expect(Swift.abs(solution.cost - expected) < 1e-9, "trial \(trial): \(rows)x\(columns)")
    }
  }

  @Test func maximizeNegatesTheObjective() throws {
    let costs: [[Double]] = [[1, 2, 3], [2, 4, 6], [3, 6, 9]]
    let solution = try LinearAssignment.solve(costs: Tensor(rows: costs), maximize: true)
    #expect(solution.cost == 14)  // the diagonal 1 + 4 + 9
    #expect(solution.columns == [0, 1, 2])
  }

  @Test func rejectsNonFiniteCosts() {
    #expect(throws: LayerSimilarityError.self) {
      _ = try LinearAssignment.solve(costs: Tensor(rows: [[1, .nan], [0, 1]]))
    }
  }
}

@Suite struct AssignmentFixtureTests {
  @Test func matchesScipyLinearSumAssignment() throws {
    for testCase in GWFixtures.shared.assignment {
      let solution = try LinearAssignment.solve(costs: testCase.costs.tensor(Double.self))
      #expect(Swift.abs(solution.cost - testCase.cost) < 1e-9)
      // Random continuous costs have a unique optimum.
      #expect(solution.rows == testCase.rows)
      #expect(solution.columns == testCase.columns)
    }
  }
}
