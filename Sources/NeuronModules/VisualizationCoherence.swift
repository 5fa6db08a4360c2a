import Autodiff
import Networks
import Tensors

/// The feature-visualization test of one sub-cluster.
public struct SubClusterVisualization: Sendable, Hashable, Codable {
  /// The objective the sub-cluster's visualization reached.
  public var objective: Double
  /// The entropy (nats) of the network's softmax on the visualization.
  public var softmaxEntropy: Double
  /// The class the network predicts for the visualization.
  public var predictedClass: Int
  /// Objective reached against the random sets' visualizations, right-sided.
  public var objectiveTest: RankTest
  /// Softmax entropy against the random sets', left-sided (effect factor `2 h / (h + r)`: below 1
  /// when the sub-cluster's visualization is classified more confidently).
  public var entropyTest: RankTest
  /// The visualization in the network's input layout (flattened row-major; see
  /// ``FeatureVisualizationCoherence/imageShape``).
  public var image: [Float]
}

/// The feature-visualization coherence test of a network's sub-clusters.
public struct FeatureVisualizationCoherence: Sendable, Hashable, Codable {
  public var parameterization: ImageParameterization
  /// `[C, H, W]` for image inputs, else the network's input shape.
  public var imageShape: [Int]
  public var steps: Int
  public var learningRate: Double
  /// One entry per sub-cluster, in the order given.
  public var subClusters: [SubClusterVisualization]
  /// Fisher's method across sub-clusters for ``ModuleTestKind/visualizationObjective`` and
  /// ``ModuleTestKind/visualizationEntropy``, Benjamini-Hochberg corrected across these two.
  public var combinedTests: [CombinedTest]
}

extension Network {
  /// Visualizes every sub-cluster and each of its random sets (``FeatureVisualizer``) and
  /// compares the objective reached and the softmax entropy of the visualizations.
  ///
  /// A sub-cluster and its random sets are optimized in one batch (with other sub-clusters of
  /// the same layer up to ``FeatureVisualizationOptions/maximumBatchSize`` inputs); sub-cluster
  /// `i` starts from the `i`-th output of a generator seeded with ``FeatureVisualizationOptions/seed``
  /// (so a sub-cluster's result depends on its position in `subClusters`, not on the batching).
  public func featureVisualizationCoherence(of subClusters: [SubCluster], options: FeatureVisualizationOptions = .init())
    throws -> FeatureVisualizationCoherence
  {
    guard options.falseDiscoveryRate > 0, options.falseDiscoveryRate <= 1 else {
      throw NeuronModulesError.invalidOption("false discovery rate \(options.falseDiscoveryRate) is outside (0, 1]")
    }
    var generator = SeededGenerator(seed: options.seed)
    let seeds = (0..<subClusters.count).map { _ in generator.next() }
    var outcomes = [(objectives: [Double], entropies: [Double], predicted: Int, image: [Float])?](
      repeating: nil, count: subClusters.count)
    var parameterization = options.parameterization ?? .pixels
    var imageShape = architecture.inputShape
    let bySite = Dictionary(grouping: subClusters.indices) { subClusters[$0].site }
    for site in bySite.keys.sorted() {
      let visualizer = try FeatureVisualizer(network: self, site: site, options: options)
      parameterization = visualizer.parameterization
      imageShape = visualizer.imageShape ?? imageShape
      let members = bySite[site]!
      let perGroup = Swift.max(1, options.maximumBatchSize / (1 + (subClusters[members[0]].randomUnitSets.count)))
      for first in stride(from: 0, to: members.count, by: perGroup) {
        let group = Array(members[first..<Swift.min(members.count, first + perGroup)])
        // One seed per sub-cluster: optimize each sub-cluster's inputs from its own start, then
        // stack the starts so the whole group is one Adam run.
        let sets = group.map { [subClusters[$0].units] + subClusters[$0].randomUnitSets }
        let result = try visualizer.optimizeGroups(sets, seeds: group.map { seeds[$0] })
        let probabilities = try logits(result.images).softmax(axis: -1)
        let classes = probabilities.shape[1]
        let scalars = probabilities.scalars.map { Double($0) }
        var row = 0
        for (k, i) in group.enumerated() {
          var entropies: [Double] = []
          for r in row..<(row + sets[k].count) {
            entropies.append(RankStatistics.entropy(Array(scalars[(r * classes)..<((r + 1) * classes)])))
          }
          let first = Array(scalars[(row * classes)..<((row + 1) * classes)])
          let predicted = first.indices.max { first[$0] < first[$1] } ?? 0
          let size = result.images.count / result.images.shape[0]
          let image = result.images.scalars[(row * size)..<((row + 1) * size)].map { Float($0) }
          outcomes[i] = (Array(result.objectives[row..<(row + sets[k].count)]), entropies, predicted, image)
          row += sets[k].count
        }
      }
    }
    let rate = options.falseDiscoveryRate
    var results: [SubClusterVisualization] = outcomes.map { outcome in
      let o = outcome!
      return SubClusterVisualization(
        objective: o.objectives[0], softmaxEntropy: o.entropies[0], predictedClass: o.predicted,
        objectiveTest: RankTest(value: o.objectives[0], randomValues: Array(o.objectives.dropFirst()), side: .right),
        entropyTest: RankTest(value: o.entropies[0], randomValues: Array(o.entropies.dropFirst()), side: .left), image: o.image)
    }
    let objectiveTests = RankTest.correctedAcrossSubClusters(results.map(\.objectiveTest), rate: rate)
    let entropyTests = RankTest.correctedAcrossSubClusters(results.map(\.entropyTest), rate: rate)
    for i in results.indices {
      results[i].objectiveTest = objectiveTests[i]
      results[i].entropyTest = entropyTests[i]
    }
    let combined = [
      CombinedTest(kind: .visualizationObjective, tests: objectiveTests),
      CombinedTest(kind: .visualizationEntropy, tests: entropyTests),
    ].compactMap { $0 }
    return FeatureVisualizationCoherence(
      parameterization: parameterization, imageShape: imageShape, steps: options.steps, learningRate: options.learningRate,
      subClusters: results, combinedTests: CombinedTest.corrected(combined, rate: rate))
  }
}

extension FeatureVisualizer {
  /// ``optimize(unitSets:seed:)`` for several groups of sets at once, group `g` initialized
  /// from `seeds[g]` (so a group's result does not depend on which other groups share the batch).
  func optimizeGroups(_ groups: [[[Int]]], seeds: [UInt64]) throws -> Result {
    var start: [Scalar] = []
    for (group, seed) in zip(groups, seeds) {
      var generator = SeededGenerator(seed: seed)
      for _ in 0..<(group.count * parameterCount) {
        start.append(Scalar(generator.nextStandardNormal() * options.initialStandardDeviation))
      }
    }
    return try optimize(
      unitSets: groups.flatMap { $0 }, start: Tensor(shape: [start.count / parameterCount, parameterCount], scalars: start))
  }
}
