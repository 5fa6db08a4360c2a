import Foundation
import Tensors
import Testing

@testable import LayerSimilarity

/// The warm starts of the conditional-gradient linear steps: Jonker-Volgenant from given column
/// prices and the network simplex from a permutation basis must stay exact.
@Suite struct WarmStartTests {
  @Test func jonkerVolgenantFromAnyPricesMatchesBruteForce() {
    var generator = SeededGenerator(seed: 11)
    for trial in 0..<200 {
      let n = 2 + generator.nextInt(below: 6)
      let costs = (0..<(n * n)).map { _ in
        trial % 2 == 0 ? Double(generator.nextInt(below: 3)) : generator.nextUniform(in: -3.0..<3.0)
      }
      // Prices from nothing, from noise, and from the optimal prices of a perturbed problem.
      let perturbed = costs.map { $0 + generator.nextUniform(in: -0.5..<0.5) }
      let nearby = perturbed.withUnsafeBufferPointer { JonkerVolgenant.solve($0.baseAddress!, n: n, prices: nil) }.prices
      let noise = (0..<n).map { _ in generator.nextUniform(in: -10.0..<10.0) }
      let expected = bruteForceAssignmentCost((0..<n).map { Array(costs[($0 * n)..<($0 * n + n)]) })
      for prices in [nil, noise, nearby] {
        let solution = costs.withUnsafeBufferPointer { JonkerVolgenant.solve($0.baseAddress!, n: n, prices: prices) }
        #expect(Set(solution.assignment).count == n)
        let cost = solution.assignment.enumerated().reduce(0.0) { $0 + costs[$1.offset * n + $1.element] }
        #expect(Swift.abs(cost - expected) < 1e-9, "trial \(trial)")
        // Complementary slackness: each row's column is its cheapest reduced cost.
        for i in 0..<n {
          let assigned = costs[i * n + solution.assignment[i]] - solution.prices[solution.assignment[i]]
          let lowest = (0..<n).map { costs[i * n + $0] - solution.prices[$0] }.min()!
          #expect(assigned <= lowest + 1e-9)
        }
      }
    }
  }

  @Test func networkSimplexFromAPermutationBasisIsOptimal() {
    var generator = SeededGenerator(seed: 12)
    for trial in 0..<100 {
      let n = 2 + generator.nextInt(below: 7)
      let costs = (0..<(n * n)).map { _ in
        trial % 3 == 0 ? Double(generator.nextInt(below: 3)) : generator.nextUniform(in: -3.0..<3.0)
      }
      let uniform = [Double](repeating: 1 / Double(n), count: n)
      var solver = NetworkSimplex(n: n, m: n, p: uniform, q: uniform)
      solver.resetBasis(toPermutation: generator.permutation(n))
      let plan = costs.withUnsafeBufferPointer { solver.solve(cost: $0.baseAddress!) }
      #expect(plan.isOptimal)
      let cost = plan.rows.indices.reduce(0.0) { $0 + plan.masses[$1] * costs[plan.rows[$1] * n + plan.columns[$1]] }
      let expected = bruteForceAssignmentCost((0..<n).map { Array(costs[($0 * n)..<($0 * n + n)]) }) / Double(n)
      #expect(Swift.abs(cost - expected) < 1e-12, "trial \(trial)")
      // A second solve from the basis left behind, on new costs, is optimal too.
      let next = (0..<(n * n)).map { _ in generator.nextUniform(in: -3.0..<3.0) }
      let again = next.withUnsafeBufferPointer { solver.solve(cost: $0.baseAddress!) }
      let againCost = again.rows.indices.reduce(0.0) { $0 + again.masses[$1] * next[again.rows[$1] * n + again.columns[$1]] }
      let againExpected = bruteForceAssignmentCost((0..<n).map { Array(next[($0 * n)..<($0 * n + n)]) }) / Double(n)
      #expect(Swift.abs(againCost - againExpected) < 1e-12, "trial \(trial), second solve")
    }
  }
}
