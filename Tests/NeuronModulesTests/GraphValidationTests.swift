import Tensors
import Testing

@testable import NeuronModules

@Suite struct GraphValidationTests {
  @Test func denseAdjacencyIsValidated() throws {
    #expect(throws: NeuronModulesError.negativeWeight(row: 0, column: 1, value: -1)) {
      try NeuronGraph(denseAdjacency: Tensor(rows: [[0, -1], [-1, 0]]))
    }
    #expect(throws: NeuronModulesError.nonFiniteWeight(row: 1, column: 0, value: .infinity)) {
      try NeuronGraph(denseAdjacency: Tensor(rows: [[0, 1], [.infinity, 0]]))
    }
    #expect(throws: NeuronModulesError.self) { try NeuronGraph(denseAdjacency: Tensor(rows: [[0, .nan], [1, 0]])) }
    #expect(throws: NeuronModulesError.asymmetric(row: 0, column: 1, value: 1, transposedValue: 2, tolerance: 1e-8)) {
      try NeuronGraph(denseAdjacency: Tensor(rows: [[0, 1], [2, 0]]))
    }
    #expect(throws: NeuronModulesError.self) { try NeuronGraph(denseAdjacency: Tensor(rows: [[0, 1, 2]])) }
    // Within the tolerance: accepted and made exactly symmetric.
    let graph = try NeuronGraph(denseAdjacency: Tensor(rows: [[0, 1], [1 + 1e-12, 0]]))
    #expect(graph.adjacency[0, 1] == graph.adjacency[1, 0])
  }

  @Test func sparseTripletsAreValidated() throws {
    #expect(throws: NeuronModulesError.indexOutOfRange(row: 0, column: 3, order: 3)) {
      try SymmetricSparseMatrix(order: 3, rows: [0], columns: [3], values: [1])
    }
    #expect(throws: NeuronModulesError.self) { try SymmetricSparseMatrix(order: 3, rows: [0, 1], columns: [1], values: [1]) }
    #expect(throws: NeuronModulesError.asymmetric(row: 0, column: 1, value: 1, transposedValue: 0, tolerance: 1e-8)) {
      try SymmetricSparseMatrix(order: 3, rows: [0], columns: [1], values: [1])
    }
    // Duplicates add up; the diagonal and explicit zeros are dropped.
    let m = try SymmetricSparseMatrix(
      order: 3, rows: [0, 1, 0, 1, 2, 2, 0], columns: [1, 0, 1, 0, 2, 0, 2], values: [1, 2, 1, 0, 5, 0, 0])
    #expect(m[0, 1] == 2 && m[1, 0] == 2 && m[2, 2] == 0)
    #expect(m.storedEntryCount == 2)
    #expect(m.degrees == [2, 2, 0])
    #expect(m.dense() == Tensor(rows: [[0, 2, 0], [2, 0, 0], [0, 0, 0]]))
    #expect(m.multiply([1, 2, 3]) == [4, 2, 0])
  }

  @Test func clusterCountsAreChecked() throws {
    let graph = try SpectralFixtures.graph("sbm2-isolated").neuronGraph()
    #expect(graph.liveNodes.count == 60 && graph.nodeCount == 63)
    #expect(throws: NeuronModulesError.tooFewClusters(requested: 1)) { try graph.spectralClustering(.init(clusterCount: 1)) }
    #expect(throws: NeuronModulesError.tooManyClusters(requested: 61, liveNodes: 60)) {
      try graph.spectralClustering(.init(clusterCount: 61))
    }
    let edgeless = try NeuronGraph(denseAdjacency: Tensor.zeros([4, 4]))
    #expect(throws: NeuronModulesError.emptyGraph) { try edgeless.spectralClustering(.init(clusterCount: 2)) }
  }

  @Test func errorsExplainThemselves() {
    #expect(
      NeuronModulesError.tooManyClusters(requested: 12, liveNodes: 5).description.contains("cannot form 12 clusters from 5"))
    #expect(NeuronModulesError.negativeWeight(row: 1, column: 2, value: -0.5).description.contains("must be >= 0"))
    #expect(
      NeuronModulesError.asymmetric(row: 0, column: 1, value: 1, transposedValue: 2, tolerance: 1e-8).description.contains(
        "not symmetric"))
  }
}
