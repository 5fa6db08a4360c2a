import Networks
import Tensors
import Testing

@testable import NeuronModules

/// The block-shuffle null of graphs read from files, and the parallel shuffle-test runner.
@Suite struct NullModelTests {
  /// The upper-triangle weights of the block between layers `a` and `b`, sorted.
  func blockWeights(_ graph: NeuronGraph, _ a: Int, _ b: Int) -> [Double] {
    var weights: [Double] = []
    graph.adjacency.forEachEntry { i, j, value in
      let (la, lb) = (graph.nodes[i].layer, graph.nodes[j].layer)
      if i < j && ((la == a && lb == b) || (la == b && lb == a)) { weights.append(value) }
    }
    return weights.sorted()
  }

  @Test func blockShuffleKeepsEachBlocksWeights() throws {
    let network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [6, 5, 4, 3])), seed: 2)
    let graph = try NeuronGraph(mlpWeightsOf: network)
    let shuffled = graph.shufflingBlocks(seed: 9)
    #expect(shuffled.nodes == graph.nodes)
    #expect(shuffled.adjacency.dense() == shuffled.adjacency.dense().transposed())
    #expect(shuffled.adjacency.storedEntryCount == graph.adjacency.storedEntryCount)
    for a in 0...3 {
      for b in a...3 { #expect(blockWeights(shuffled, a, b) == blockWeights(graph, a, b), "block (\(a), \(b))") }
    }
    #expect(shuffled.adjacency != graph.adjacency)
    #expect(graph.shufflingBlocks(seed: 9).adjacency == shuffled.adjacency)
    #expect(graph.shufflingBlocks(seed: 10).adjacency != shuffled.adjacency)
  }

  /// One edge in a layer of 5 nodes lands on each of the 10 node pairs equally often.
  @Test func withinLayerPairsAreUniform() throws {
    let graph = try NeuronGraph(order: 5, rows: [1, 3], columns: [3, 1], values: [2, 2])
    var counts: [Int: Int] = [:]
    let trials = 4000
    for seed in 0..<trials {
      let shuffled = graph.shufflingBlocks(seed: UInt64(seed))
      var pairs: [Int] = []
      shuffled.adjacency.forEachEntry { i, j, value in
        if i < j {
          #expect(value == 2)
          pairs.append(i * 5 + j)
        }
      }
      #expect(pairs.count == 1)
      counts[pairs[0], default: 0] += 1
    }
    #expect(counts.count == 10)
    // Binomial(4000, 0.1): mean 400, sd 19; +-5 sd.
    for (pair, count) in counts { #expect(abs(count - 400) < 95, "pair \(pair / 5)-\(pair % 5): \(count)") }
  }

  @Test func shuffleRunIsIndependentOfThreads() throws {
    let cut: @Sendable (UInt64) throws -> Double = { seed in Double(seed % 1000) / 1000 }
    let one = try ClusterabilityTest.run(normalizedCut: 0.1, shuffles: 9, seed: 4, threads: 1, normalizedCutOfShuffle: cut)
    let two = try ClusterabilityTest.run(normalizedCut: 0.1, shuffles: 9, seed: 4, threads: 2, normalizedCutOfShuffle: cut)
    var generator = SeededGenerator(seed: 4)
    let expected = try (0..<9).map { _ in try cut(generator.next()) }
    #expect(one.shuffledNormalizedCuts == expected)
    #expect(two.shuffledNormalizedCuts == expected)
    #expect(one.pValue == Double(expected.filter { $0 < 0.1 }.count + 1) / 10)
    #expect(throws: NeuronModulesError.self) {
      try ClusterabilityTest.run(normalizedCut: 0.1, shuffles: 0, seed: 4, normalizedCutOfShuffle: cut)
    }
    struct Failure: Error {}
    #expect(throws: Failure.self) {
      try ClusterabilityTest.run(normalizedCut: 0.1, shuffles: 3, seed: 4, threads: 2) { _ in throw Failure() }
    }
  }
}
