import Tensors
import Testing

@testable import NeuronModules

@Suite struct NormalizedCutTests {
  /// The path 0 -1- 1 -2- 2 -3- 3 plus an isolated node 4.
  func path() throws -> NeuronGraph {
    try NeuronGraph(order: 5, rows: [0, 1, 1, 2, 2, 3], columns: [1, 0, 2, 1, 3, 2], values: [1, 1, 2, 2, 3, 3])
  }

  @Test func handComputedValue() throws {
    let graph = try path()
    // cut = 2 for both clusters; vol{0,1} = 1 + 3 = 4, vol{2,3} = 5 + 3 = 8.
    #expect(Swift.abs(try graph.normalizedCut(labels: [0, 0, 1, 1, -1]) - (2.0 / 4 + 2.0 / 8)) < 1e-15)
    // {0}, {1, 2}, {3}: cuts 1, 1 + 3, 3; volumes 1, 3 + 5, 3.
    #expect(Swift.abs(try graph.normalizedCut(labels: [0, 1, 1, 2, -1]) - (1.0 / 1 + 4.0 / 8 + 3.0 / 3)) < 1e-15)
    let terms = try graph.adjacency.normalizedCutTerms(labels: [5, 5, 1, 1, -1])
    #expect(terms.map(\.label) == [1, 5])
    #expect(terms[0].cut == 2 && terms[0].volume == 8 && terms[1].volume == 4)
  }

  @Test func boundsAndOneCluster() throws {
    let graph = try path()
    #expect(try graph.normalizedCut(labels: [0, 0, 0, 0, -1]) == 0)
    // Every node alone: each term is 1, so the n-cut is the number of (non-isolated) clusters.
    #expect(try graph.normalizedCut(labels: [0, 1, 2, 3, -1]) == 4)
  }

  @Test func labelCountIsChecked() throws {
    #expect(throws: NeuronModulesError.labelCount(expected: 5, found: 2)) { try path().normalizedCut(labels: [0, 1]) }
  }
}
