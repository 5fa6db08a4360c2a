import Autodiff
import Networks
import Tensors

/// Options of ``Network/datasetExampleCoherence(of:on:options:)``.
public struct DatasetExampleOptions: Sendable, Hashable {
  /// The number of top examples per set [10; ranks 1-10, not the reference code's 2-11].
  public var exampleCount: Int
  /// The Benjamini-Hochberg false discovery rate across sub-clusters [0.05].
  public var falseDiscoveryRate: Double
  /// Samples per forward pass when recording activations [1024].
  public var batchSize: Int

  public init(exampleCount: Int = 10, falseDiscoveryRate: Double = 0.05, batchSize: Int = 1024) {
    self.exampleCount = exampleCount
    self.falseDiscoveryRate = falseDiscoveryRate
    self.batchSize = batchSize
  }
}

/// The dataset-example test of one sub-cluster.
public struct SubClusterExamples: Sendable, Hashable, Codable {
  /// The indices (into the data) of the inputs with the largest `sum_{u} |mean pre-activation|`
  /// over the sub-cluster's units, largest first (ties: lower index first).
  public var exampleIndices: [Int]
  /// Their labels.
  public var exampleLabels: [Int]
  /// The entropy (nats) of ``exampleLabels``.
  public var labelEntropy: Double
  /// Label entropy against the random sets' top examples, left-sided (effect factor
  /// `2 h / (h + r)`: below 1 when the sub-cluster's examples share labels more than random sets').
  public var entropyTest: RankTest
}

/// The dataset-example coherence test of a network's sub-clusters.
public struct DatasetExampleCoherence: Sendable, Hashable, Codable {
  public var exampleCount: Int
  /// One entry per sub-cluster, in the order given.
  public var subClusters: [SubClusterExamples]
  /// Fisher's method across sub-clusters for ``ModuleTestKind/datasetExampleEntropy``.
  public var combinedTests: [CombinedTest]
}

extension Network {
  /// Ranks the inputs of `data` by how strongly they drive each sub-cluster and each of its
  /// random sets (the sum over the set's units of the absolute pre-activation; for CNN channels,
  /// of the absolute spatial mean, the feature-visualization objective evaluated on data) and
  /// compares the entropy of the top examples' labels.
  ///
  /// The pre-activations of a layer are recorded once; every set's scores are then one matrix
  /// product `|A| M` with the sets' indicator matrix `M`.
  public func datasetExampleCoherence(
    of subClusters: [SubCluster], on data: LabeledData<Scalar>, options: DatasetExampleOptions = .init()
  )
    throws -> DatasetExampleCoherence
  {
    _ = try validatedClassCount(data)
    guard options.exampleCount >= 1, options.batchSize >= 1 else {
      throw NeuronModulesError.invalidOption("dataset examples need exampleCount >= 1 and batchSize >= 1")
    }
    guard options.falseDiscoveryRate > 0, options.falseDiscoveryRate <= 1 else {
      throw NeuronModulesError.invalidOption("false discovery rate \(options.falseDiscoveryRate) is outside (0, 1]")
    }
    let k = Swift.min(options.exampleCount, data.count)
    var top = [[[Int]]](repeating: [], count: subClusters.count)
    let bySite = Dictionary(grouping: subClusters.indices) { subClusters[$0].site }
    for site in bySite.keys.sorted() {
      guard let width = try hiddenLayerWidth(network: self, site: site) else {
        throw NeuronModulesError.invalidOption("the network has no site \"\(site)\"")
      }
      let members = bySite[site]!
      let sets = members.flatMap { [subClusters[$0].units] + subClusters[$0].randomUnitSets }
      var indicator = [Scalar](repeating: 0, count: sets.count * width)
      for (s, set) in sets.enumerated() {
        for u in set {
          guard u >= 0, u < width else {
            throw NeuronModulesError.invalidOption("unit \(u) is outside \"\(site)\", which has \(width) units")
          }
          indicator[s * width + u] = 1
        }
      }
      // scores[s, i] = sum_{u in set s} |A[i, u]|.
      let scores = Tensor(shape: [sets.count, width], scalars: indicator).matmul(
        try unitActivations(data.inputs, site: site, batchSize: options.batchSize).abs(), transposeOther: true)
      let values = scores.scalars.map { Double($0) }
      var offset = 0
      for i in members {
        let count = 1 + subClusters[i].randomUnitSets.count
        top[i] = (offset..<(offset + count)).map { s in topIndices(values[(s * data.count)..<((s + 1) * data.count)], k) }
        offset += count
      }
    }
    var results: [SubClusterExamples] = top.map { sets in
      let entropies = sets.map { indices in labelEntropy(indices.map { data.labels[$0] }) }
      return SubClusterExamples(
        exampleIndices: sets[0], exampleLabels: sets[0].map { data.labels[$0] }, labelEntropy: entropies[0],
        entropyTest: RankTest(value: entropies[0], randomValues: Array(entropies.dropFirst()), side: .left))
    }
    let tests = RankTest.correctedAcrossSubClusters(results.map(\.entropyTest), rate: options.falseDiscoveryRate)
    for i in results.indices { results[i].entropyTest = tests[i] }
    return DatasetExampleCoherence(
      exampleCount: k, subClusters: results,
      combinedTests: [CombinedTest(kind: .datasetExampleEntropy, tests: tests)].compactMap { $0 })
  }

  /// The pre-activations at `site` over `inputs`, one value per unit: `[N, units]`, CNN
  /// channels averaged over space.
  func unitActivations(_ inputs: Tensor<Scalar>, site: String, batchSize: Int) throws -> Tensor<Scalar> {
    let n = inputs.shape[0]
    var parts: [Tensor<Scalar>] = []
    for begin in stride(from: 0, to: n, by: batchSize) {
      let end = Swift.min(n, begin + batchSize)
      let batch = begin == 0 && end == n ? inputs : inputs.slice(axis: 0, begin..<end)
      var pre = try forward(Variable(batch), options: ForwardOptions(stopSite: site)).output.value
      if pre.rank == 4 { pre = pre.mean(axis: 3).mean(axis: 2) }
      parts.append(pre)
    }
    return parts.count == 1 ? parts[0] : Tensor.concatenate(parts, axis: 0)
  }
}

/// The positions of the `k` largest values, largest first; ties go to the lower position.
func topIndices(_ values: ArraySlice<Double>, _ k: Int) -> [Int] {
  let base = values.startIndex
  var best: [Int] = []  // positions, sorted by (value descending, position ascending)
  best.reserveCapacity(k + 1)
  for p in values.indices {
    let v = values[p]
    if best.count == k, let last = best.last, values[last] >= v { continue }
    var slot = best.count
    while slot > 0, values[best[slot - 1]] < v { slot -= 1 }
    best.insert(p, at: slot)
    if best.count > k { best.removeLast() }
  }
  return best.map { $0 - base }
}

/// The entropy (nats) of the empirical distribution of `labels`.
func labelEntropy(_ labels: [Int]) -> Double {
  var counts: [Int: Int] = [:]
  for label in labels { counts[label, default: 0] += 1 }
  return RankStatistics.entropy(counts.keys.sorted().map { Double(counts[$0]!) })
}
