import Foundation
import Tensors
import Testing

@testable import LayerSimilarity

/// Random weights summing to 1, some of them zero when `withZeros` is set.
func randomWeights(_ count: Int, withZeros: Bool = false, using generator: inout SeededGenerator) -> [Double] {
  var w = (0..<count).map { _ in generator.nextUniform(in: 0.05..<1.0) }
  if withZeros && count > 2 { w[generator.nextInt(below: count)] = 0 }
  let total = w.reduce(0, +)
  return w.map { $0 / total }
}

/// Checks that `plan` is feasible and certified optimal by its dual potentials.
func expectOptimal(
  _ plan: OptimalTransport.Plan, costs: [Double], p: [Double], q: [Double], sourceLocation: SourceLocation = #_sourceLocation
) {
  let n = p.count
  let m = q.count
  var rowSums = [Double](repeating: 0, count: n)
  var columnSums = [Double](repeating: 0, count: m)
  for k in plan.rows.indices {
    #expect(plan.masses[k] > 0, sourceLocation: sourceLocation)
    rowSums[plan.rows[k]] += plan.masses[k]
    columnSums[plan.columns[k]] += plan.masses[k]
  }
  #expect(plan.rows.count <= n + m - 1, sourceLocation: sourceLocation)
  let marginalError =
    zip(rowSums, p).map { Swift.abs($0 - $1) }.reduce(0, +) + zip(columnSums, q).map { Swift.abs($0 - $1) }.reduce(0, +)
  #expect(marginalError < 1e-12, sourceLocation: sourceLocation)
  let scale = costs.map(Swift.abs).max() ?? 1
  var worstViolation = 0.0
  for i in 0..<n {
    for j in 0..<m {
      worstViolation = Swift.max(worstViolation, plan.rowPotentials[i] + plan.columnPotentials[j] - costs[i * m + j])
    }
  }
  #expect(worstViolation < 1e-10 * scale, sourceLocation: sourceLocation)
  let dual = zip(plan.rowPotentials, p).map { $0 * $1 }.reduce(0, +) + zip(plan.columnPotentials, q).map { $0 * $1 }.reduce(0, +)
  #expect(Swift.abs(dual - plan.cost) < 1e-10 * scale, sourceLocation: sourceLocation)
}

@Suite struct OptimalTransportTests {
  @Test func networkSimplexIsCertifiedOptimalOnRandomProblems() throws {
    var generator = SeededGenerator(seed: 11)
    for trial in 0..<60 {
      let n = 1 + generator.nextInt(below: 25)
      let m = 1 + generator.nextInt(below: 25)
      let integerCosts = trial % 3 == 0
      let costs = (0..<(n * m)).map { _ in
        integerCosts ? Double(generator.nextInt(below: 5)) : generator.nextUniform(in: -3.0..<7.0)
      }
      let p =
        trial % 4 == 0
        ? [Double](repeating: 1 / Double(n), count: n) : randomWeights(n, withZeros: trial % 5 == 0, using: &generator)
      let q =
        trial % 4 == 0
        ? [Double](repeating: 1 / Double(m), count: m) : randomWeights(m, withZeros: trial % 7 == 0, using: &generator)
      let plan = try OptimalTransport.exact(costs: Tensor(shape: [n, m], scalars: costs), source: Tensor(p), target: Tensor(q))
      expectOptimal(plan, costs: costs, p: p, q: q)
    }
  }

  @Test func uniformSquareProblemsMatchTheAssignmentSolver() throws {
    var generator = SeededGenerator(seed: 3)
    for n in [2, 5, 17, 40] {
      let costs = (0..<(n * n)).map { _ in generator.nextUniform(in: 0.0..<1.0) }
      let tensor = Tensor(shape: [n, n], scalars: costs)
      let uniform = Tensor([Double](repeating: 1 / Double(n), count: n))
      let plan = try OptimalTransport.exact(costs: tensor, source: uniform, target: uniform)
      let assignment = try LinearAssignment.solve(costs: tensor)
      #expect(Swift.abs(plan.cost - assignment.cost / Double(n)) < 1e-12)
    }
  }

  @Test func rejectsInvalidMarginals() {
    let costs = Tensor<Double>(rows: [[0, 1], [1, 0]])
    #expect(throws: LayerSimilarityError.self) {
      _ = try OptimalTransport.exact(costs: costs, source: Tensor([0.5, 0.6]), target: Tensor([0.5, 0.5]))
    }
    #expect(throws: LayerSimilarityError.self) {
      _ = try OptimalTransport.exact(costs: costs, source: Tensor([1.5, -0.5]), target: Tensor([0.5, 0.5]))
    }
  }
}

@Suite struct TransportFixtureTests {
  @Test func matchesPOTEmd() throws {
    for testCase in GWFixtures.shared.transport {
      let plan = try OptimalTransport.exact(
        costs: testCase.costs.tensor(Double.self), source: Tensor(testCase.p), target: Tensor(testCase.q))
      #expect(relativeError(plan.cost, testCase.cost) < 1e-12)
      expectOptimal(plan, costs: testCase.costs.data, p: testCase.p, q: testCase.q)
      let dense = plan.dense
      #expect(dense.shape == testCase.costs.shape)
    }
  }
}
