import Foundation
import Tensors
import Testing

@testable import NeuronModules

/// Adjacency files written by numpy and scipy (scripts/make_module_graph_fixtures.py).
@Suite struct AdjacencyFileTests {
  static func url(_ name: String) -> URL {
    Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/adjacency")!
  }

  /// The fixture graph: two 4-cliques (weights alternating 1, 2) joined by one edge of 0.1.
  static func twoBlocks() -> Tensor<Double> {
    var a = [Double](repeating: 0, count: 64)
    var w = 1.0
    for block in [0..<4, 4..<8] {
      for i in block {
        for j in block where i < j {
          a[i * 8 + j] = w
          a[j * 8 + i] = w
          w = 1 + w.truncatingRemainder(dividingBy: 2)
        }
      }
    }
    a[3 * 8 + 4] = 0.1
    a[4 * 8 + 3] = 0.1
    return Tensor(shape: [8, 8], scalars: a)
  }

  @Test func denseAndSparseFilesGiveTheSameGraph() throws {
    let dense = try NeuronGraph(adjacencyFile: Self.url("two_blocks.npy"))
    let sparse = try NeuronGraph(adjacencyFile: Self.url("two_blocks.npz"))
    let expected = Self.twoBlocks()
    #expect(dense.adjacency.dense() == expected)
    // The .npz stores float32 data; 0.1 rounds.
    let difference = zip(sparse.adjacency.dense().scalars, expected.scalars).map { Swift.abs($0 - $1) }.max()!
    #expect(difference < 1e-8)
    #expect(dense.nodes.allSatisfy { $0.layer == 0 && $0.layerName == "node" })
    #expect(dense.nodes.map(\.unit) == Array(0..<8))
    // The optional 'layer' array of the .npz.
    #expect(sparse.nodes.map(\.layer) == [0, 0, 1, 1, 1, 2, 2, 2])
    #expect(sparse.nodes.map(\.unit) == [0, 1, 0, 1, 2, 0, 1, 2])
    #expect(sparse.nodes[4].layerName == "layer 1")
    let partition = try dense.spectralClustering(.init(clusterCount: 2))
    #expect(adjustedRandIndex(partition.labels, [0, 0, 0, 0, 1, 1, 1, 1]) == 1)
    // Both sides cut 0.1 and have the same volume: the sum of rows 0-3.
    let volume = expected.scalars[0..<32].reduce(0, +)
    #expect(Swift.abs(partition.normalizedCut - 2 * 0.1 / volume) < 1e-12)
  }

  /// A disconnected graph is clustered, not rejected: with k equal to the number of
  /// components, the clusters are the components and the normalized cut is 0.
  @Test func disconnectedGraphClustersIntoComponents() throws {
    let graph = try NeuronGraph(adjacencyFile: Self.url("disconnected.npz"))
    #expect(graph.componentCount == 2)
    #expect(graph.componentLabels == [0, 0, 0, 0, 1, 1, 1, 1])
    let partition = try graph.spectralClustering(.init(clusterCount: 2))
    #expect(partition.labels == [0, 0, 0, 0, 1, 1, 1, 1])
    #expect(partition.normalizedCut == 0)
  }

  func expectProblem(_ name: String, mentions words: [String]) {
    do {
      _ = try NeuronGraph(adjacencyFile: Self.url(name))
      Issue.record("\(name) was accepted")
    } catch let error as AdjacencyFileError {
      #expect(error.path.hasSuffix(name))
      for word in words { #expect(error.description.contains(word), "\(name): \(error.description) lacks \(word)") }
    } catch {
      Issue.record("\(name): unexpected error \(error)")
    }
  }

  @Test func invalidFilesAreNamedErrors() throws {
    expectProblem("asymmetric.npy", mentions: ["not symmetric", "A[0, 1] = 5.0"])
    expectProblem("negative.npy", mentions: ["negative", "-0.5"])
    expectProblem("nan.npy", mentions: ["nan", "finite"])
    expectProblem("rectangular.npy", mentions: ["square", "[3, 4]"])
    expectProblem("upper_only.npz", mentions: ["not symmetric", "(j, i)"])
    expectProblem("missing_col.npz", mentions: ["missing array 'col'"])
    expectProblem("float_rows.npz", mentions: ["'row' must hold integers", "F64"])
    expectProblem("scipy_save_npz.npz", mentions: ["np.savez"])
  }

  @Test func missingFileAndWrongExtension() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("adjacency-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let text = folder.appendingPathComponent("graph.txt")
    try Data("0 1\n1 0\n".utf8).write(to: text)
    #expect(
      throws: AdjacencyFileError(
        path: text.path, problem: "an adjacency file must be .npy (dense) or .npz (sparse COO), got '.txt'")
    ) {
      try NeuronGraph(adjacencyFile: text)
    }
    let missing = folder.appendingPathComponent("missing.npy")
    do {
      _ = try NeuronGraph(adjacencyFile: missing)
      Issue.record("a missing file was accepted")
    } catch let error as AdjacencyFileError {
      #expect(error.description.contains("missing.npy"))
    }
  }
}
