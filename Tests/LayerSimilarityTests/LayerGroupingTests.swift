import Foundation
import Tensors
import Testing

@testable import LayerSimilarity

/// Reference trees from scipy, written by scripts/make_grouping_fixtures.py.
struct GroupingFixtures: Decodable {
  struct Case: Decodable {
    var name: String
    var distances: [[Double]]
    var linkage: [[Double]]
    var partitions: [String: [Int]]
  }
  var cases: [Case]

  static func load() throws -> GroupingFixtures {
    let url = Bundle.module.url(forResource: "grouping_fixtures", withExtension: "json", subdirectory: "Fixtures")!
    return try JSONDecoder().decode(GroupingFixtures.self, from: Data(contentsOf: url))
  }
}

@Suite struct LayerGroupingTests {
  @Test func averageLinkageMatchesSciPy() throws {
    for fixture in try GroupingFixtures.load().cases {
      let rows = LayerGrouping.averageLinkage(fixture.distances)
      #expect(rows.count == fixture.linkage.count, "\(fixture.name)")
      for (row, expected) in zip(rows, fixture.linkage) {
        #expect(row[0] == expected[0] && row[1] == expected[1] && row[3] == expected[3], "\(fixture.name): \(row) vs \(expected)")
        #expect(Swift.abs(row[2] - expected[2]) <= 1e-12 * Swift.max(1, expected[2]), "\(fixture.name)")
      }
      for (k, labels) in fixture.partitions {
        #expect(
          LayerGrouping.cut(linkage: rows, count: fixture.distances.count, groups: Int(k)!) == labels,
          "\(fixture.name) k = \(k)")
      }
    }
  }

  @Test func averageLinkageByHand() {
    // 0 and 1 merge at 1 (cluster 4); {0, 1} is then 5 from 2 and 9 from 3, so 2 and 3 merge at 2
    // (cluster 5); the two pairs merge at mean(4, 8, 6, 10) = 7.
    let d: [[Double]] = [[0, 1, 4, 8], [1, 0, 6, 10], [4, 6, 0, 2], [8, 10, 2, 0]]
    #expect(LayerGrouping.averageLinkage(d) == [[0, 1, 1, 2], [2, 3, 2, 2], [4, 5, 7, 4]])
  }

  static func randomDistances(_ n: Int, seed: UInt64) -> [[Double]] {
    var generator = SeededGenerator(seed: seed)
    var d = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in (i + 1)..<n {
        let value = Double.random(in: 0.01...1, using: &generator)
        d[i][j] = value
        d[j][i] = value
      }
    }
    return d
  }

  /// Every segmentation of `0..<n` as start indices (bit `b` set = a segment starts at `b + 1`).
  static func allSegmentations(_ n: Int) -> [[Int]] {
    (0..<(1 << (n - 1))).map { mask in [0] + (1..<n).filter { mask & (1 << ($0 - 1)) != 0 } }
  }

  static func cost(_ starts: [Int], _ d: [[Double]]) -> Double {
    var total = 0.0
    for (g, s) in starts.enumerated() {
      let end = g + 1 < starts.count ? starts[g + 1] : d.count
      for x in s..<end { for y in (x + 1)..<end { total += d[x][y] } }
    }
    return total
  }

  @Test func segmentationMatchesBruteForce() {
    for n in 1...8 {
      for seed in 0..<3 {
        let d = Self.randomDistances(n, seed: UInt64(100 * n + seed))
        let all = Self.allSegmentations(n)
        for k in 1...n {
          let best = all.filter { $0.count == k }.map { Self.cost($0, d) }.min()!
          let found = LayerGrouping.segments(d, count: k)
          #expect(Swift.abs(found.cost - best) <= 1e-12, "n \(n) k \(k)")
          #expect(found.starts.count == k && Swift.abs(Self.cost(found.starts, d) - found.cost) <= 1e-12)
        }
        for penalty in [0.0, 0.05, 0.3, 2.0] {
          let best = all.map { Self.cost($0, d) + penalty * Double($0.count) }.min()!
          let found = LayerGrouping.segments(d, penalty: penalty)
          #expect(Swift.abs(found.cost - best) <= 1e-12, "n \(n) penalty \(penalty)")
          #expect(Swift.abs(Self.cost(found.starts, d) + penalty * Double(found.starts.count) - found.cost) <= 1e-12)
        }
        // The chosen contiguous partition is the best-silhouette one among the exact-k optima.
        if n >= 3 {
          let grouping = LayerGrouping.contiguous(d)
          #expect(grouping.candidateSilhouettes.count == n - 2)
          #expect(Swift.abs(grouping.silhouette - grouping.candidateSilhouettes.max()!) <= 1e-12)
          #expect(grouping.groups.flatMap { $0 } == Array(0..<n))
        }
      }
    }
  }

  @Test func withinAndBetweenMeans() {
    let d: [[Double]] = [[0, 1, 4, 8], [1, 0, 6, 10], [4, 6, 0, 2], [8, 10, 2, 0]]
    let grouping = LayerGrouping.contiguous(d)
    #expect(grouping.groups == [[0, 1], [2, 3]])
    #expect(grouping.withinMeans == [1, 2])
    #expect(grouping.betweenMeans[0][1] == 7 && grouping.betweenMeans[1][0] == 7)
    #expect(grouping.withinMean == 1.5 && grouping.betweenMean == 7)
  }
}

/// Layers built with a known block structure: within a block, rotated copies of one point cloud
/// (embedded in differing widths, features permuted) with tiny noise; blocks are independent clouds.
@Suite struct PlantedLayerGroupsTests {
  static func gaussian(_ generator: inout SeededGenerator) -> Double {
    let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
    let v = Double.random(in: 0..<1, using: &generator)
    return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
  }

  /// A random orthogonal `d x d` matrix by Gram-Schmidt.
  static func rotation(_ d: Int, _ generator: inout SeededGenerator) -> [[Double]] {
    var rows: [[Double]] = []
    while rows.count < d {
      var v = (0..<d).map { _ in gaussian(&generator) }
      for r in rows {
        let dot = zip(v, r).map(*).reduce(0, +)
        v = zip(v, r).map { $0 - dot * $1 }
      }
      let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
      if norm > 1e-6 { rows.append(v.map { $0 / norm }) }
    }
    return rows
  }

  static func plantedLayers(blocks: [Int], n: Int, seed: UInt64) -> [(name: String, tensor: Tensor<Float>)] {
    var generator = SeededGenerator(seed: seed)
    var layers: [(name: String, tensor: Tensor<Float>)] = []
    for (b, size) in blocks.enumerated() {
      let dim = 4
      let cloud = (0..<n).map { _ in (0..<dim).map { _ in gaussian(&generator) } }
      for member in 0..<size {
        let width = dim + 2 * member
        let r = rotation(width, &generator)
        let permutation = Array(0..<width).shuffled(using: &generator)
        var values = [Float](repeating: 0, count: n * width)
        for i in 0..<n {
          let padded = cloud[i] + [Double](repeating: 0, count: width - dim)
          for k in 0..<width {
            let rotated = zip(r[k], padded).map(*).reduce(0, +)
            values[i * width + permutation[k]] = Float(rotated + 1e-4 * gaussian(&generator))
          }
        }
        layers.append((name: "block\(b).layer\(member)", tensor: Tensor(shape: [n, width], scalars: values)))
      }
    }
    return layers
  }

  @Test func plantedBlocksAreRecoveredByBothMethods() throws {
    let blocks = [3, 2, 4]
    let representations = try LayerRepresentations(Self.plantedLayers(blocks: blocks, n: 40, seed: 7))
    let analysis = try LayerSimilarityAnalysis(representations, options: .init(randomStarts: 1))
    var expected: [[Int]] = []
    var start = 0
    for size in blocks {
      expected.append(Array(start..<(start + size)))
      start += size
    }
    let hierarchical = LayerGrouping.hierarchical(analysis.gw)
    let contiguous = LayerGrouping.contiguous(analysis.gw)
    #expect(hierarchical.grouping.groups == expected)
    #expect(contiguous.groups == expected)
    #expect(hierarchical.linkage.count == 8)
    #expect(hierarchical.grouping.withinMean! < 1e-3 * hierarchical.grouping.betweenMean!)
    for i in 0..<9 {
      #expect(analysis.gw[i][i] == 0)
      for j in 0..<9 { #expect(analysis.gw[i][j] == analysis.gw[j][i]) }
    }
    #expect(analysis.pairs.count == 36)
  }

  @Test func entropicSolverRuns() throws {
    let representations = try LayerRepresentations(Self.plantedLayers(blocks: [2, 2], n: 16, seed: 3))
    let analysis = try LayerSimilarityAnalysis(representations, options: .init(solver: .entropic, epsilon: 5e-2))
    #expect(analysis.pairs.allSatisfy { $0.marginalError != nil && $0.gw >= 0 })
    #expect(LayerGrouping.contiguous(analysis.gw).groups == [[0, 1], [2, 3]])
  }
}

@Suite struct LayerRepresentationsTests {
  @Test func nanNamesLayerAndSample() {
    var values = [Float](repeating: 1, count: 12)
    values[7] = .nan  // sample 2 of a [4, 3] tensor
    let good = Tensor<Float>(shape: [4, 3], scalars: (0..<12).map(Float.init))
    #expect(throws: LayerSimilarityError.nonFiniteValue(layer: "b", sample: 2, isNaN: true)) {
      try LayerRepresentations([("a", good), ("b", Tensor(shape: [4, 3], scalars: values))])
    }
    values[7] = .infinity
    #expect(throws: LayerSimilarityError.nonFiniteValue(layer: "b", sample: 2, isNaN: false)) {
      try LayerRepresentations([("a", good), ("b", Tensor(shape: [4, 3], scalars: values))])
    }
    #expect(LayerSimilarityError.nonFiniteValue(layer: "b", sample: 2, isNaN: true).description.contains("'b' sample 2"))
  }

  @Test func mismatchedAndTooFewSamples() {
    let a = Tensor<Float>(shape: [4, 2], scalars: (0..<8).map(Float.init))
    let b = Tensor<Float>(shape: [5, 2], scalars: (0..<10).map(Float.init))
    #expect(throws: LayerSimilarityError.sampleCountMismatch(first: "a", firstCount: 4, second: "b", secondCount: 5)) {
      try LayerRepresentations([("a", a), ("b", b)])
    }
    let one = Tensor<Float>(shape: [1, 2], scalars: [1, 2])
    #expect(throws: LayerSimilarityError.tooFewSamples(layer: "a", count: 1)) {
      try LayerRepresentations([("a", one), ("b", one)])
    }
    #expect(throws: LayerSimilarityError.self) { try LayerRepresentations([]) }
    #expect(throws: LayerSimilarityError.self) { try LayerRepresentations([("a", a), ("a", a)]) }
  }

  @Test func reductions() throws {
    // Sequences [n = 2, T = 3, d = 2].
    let sequence = Tensor<Float>(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))
    #expect(LayerRepresentations.reduce(sequence, convolution: .flatten, sequence: .last).scalars == [4, 5, 10, 11])
    #expect(LayerRepresentations.reduce(sequence, convolution: .flatten, sequence: .first).scalars == [0, 1, 6, 7])
    #expect(LayerRepresentations.reduce(sequence, convolution: .flatten, sequence: .mean).scalars == [2, 3, 8, 9])
    // Convolution maps [n = 2, C = 2, 2, 2].
    let maps = Tensor<Float>(shape: [2, 2, 2, 2], scalars: (0..<16).map(Float.init))
    #expect(LayerRepresentations.reduce(maps, convolution: .mean, sequence: .last).scalars == [1.5, 5.5, 9.5, 13.5])
    let flat = LayerRepresentations.reduce(maps, convolution: .flatten, sequence: .last)
    #expect(flat.shape == [2, 8] && flat.scalars == maps.scalars)
  }
}
