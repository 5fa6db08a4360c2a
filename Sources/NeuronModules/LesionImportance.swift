import Networks
import Tensors

/// What a lesion removes.
public enum LesionTarget: String, Sendable, Hashable, Codable, CaseIterable {
  /// Zero the units' incoming weights and bias (the papers' lesion, the default): their
  /// pre-activations become exactly 0 whatever the input. Implemented by zeroing the
  /// pre-activation site "{layer}.pre", which equals zeroing the weights and bias. After a
  /// ReLU (or GELU or tanh) the units' outputs are then 0 too; after a sigmoid they are 1/2,
  /// and a BatchNorm that follows still adds `beta - gamma * mean / sqrt(var + eps)` per channel,
  /// so in CNNs with BatchNorm this is not the same as removing the channel.
  case incomingWeights
  /// Zero the units' outputs ("{layer}.post", after the activation and any BatchNorm): the
  /// units are removed from the rest of the network. Identical to ``incomingWeights`` for
  /// ReLU, GELU and tanh networks without BatchNorm.
  case outputs

  /// The site a lesion of a sub-cluster in `layerName` zeroes.
  public func site(layerName: String) -> String {
    switch self {
    case .incomingWeights: "\(layerName).pre"
    case .outputs: "\(layerName).post"
    }
  }
}

/// Options of ``Network/lesionImportance(of:on:options:)``.
public struct LesionOptions: Sendable, Hashable {
  public var target: LesionTarget
  /// The smallest drop in mean per-class accuracy, as a fraction, that a sub-cluster labelled
  /// important must cause [0.01, one percentage point].
  public var minimumAccuracyDrop: Double
  /// The Benjamini-Hochberg false discovery rate [0.05].
  public var falseDiscoveryRate: Double
  /// The most activation elements one batched forward pass may hold [2^22]; bounds memory.
  public var elementBudget: Int

  public init(
    target: LesionTarget = .incomingWeights, minimumAccuracyDrop: Double = 0.01, falseDiscoveryRate: Double = 0.05,
    elementBudget: Int = 1 << 22
  ) {
    self.target = target
    self.minimumAccuracyDrop = minimumAccuracyDrop
    self.falseDiscoveryRate = falseDiscoveryRate
    self.elementBudget = elementBudget
  }
}

/// The lesion test of one sub-cluster.
public struct SubClusterImportance: Sendable, Hashable, Codable {
  /// The accuracy on each evaluated class (``LesionImportance/evaluatedClasses``) after the lesion.
  public var perClassAccuracy: [Double]
  /// The overall accuracy after the lesion.
  public var accuracy: Double
  /// The mean of ``perClassAccuracy``: the statistic of ``accuracyTest``.
  public var meanPerClassAccuracy: Double
  /// The baseline mean per-class accuracy minus ``meanPerClassAccuracy`` (positive: the lesion hurts).
  public var accuracyDrop: Double
  /// The same drop averaged over the random lesions.
  public var meanRandomAccuracyDrop: Double
  /// The class selectivity: the range of the per-class accuracy drops divided by the absolute
  /// value of their mean (the authors' `ptp(changes / mean(changes))`); 0 when every class drops
  /// equally, `+infinity` when the drops differ but average 0.
  public var classSelectivity: Double
  /// Mean per-class accuracy against the random lesions, left-sided. Its effect factor is
  /// `2 t / (t + r)` for the true drop `t` and the mean random drop `r`, both clipped at 0 (2
  /// when only the sub-cluster's lesion hurts, 1 when neither does). The authors' code set it
  /// to 0 unless both drops were positive, which scores the clearest case (harmless random
  /// lesions) as no effect.
  public var accuracyTest: RankTest
  /// Class selectivity against the random lesions, right-sided; effect factor `2 s / (s + r)`.
  public var selectivityTest: RankTest
  /// ``accuracyTest`` is significant after the Benjamini-Hochberg correction and
  /// ``accuracyDrop`` is at least ``LesionOptions/minimumAccuracyDrop``.
  public var isImportant: Bool
  /// ``selectivityTest`` is significant after the correction and ``accuracyDrop`` is at least
  /// ``LesionOptions/minimumAccuracyDrop``.
  public var isClassSelective: Bool
}

/// The importance (lesion) test of a network's sub-clusters (Hod et al. 2021, section 3).
public struct LesionImportance: Sendable, Hashable, Codable {
  public var target: LesionTarget
  /// The number of evaluation samples.
  public var sampleCount: Int
  /// The classes with at least one sample; per-class statistics are over these.
  public var evaluatedClasses: [Int]
  /// The unlesioned network's overall accuracy.
  public var baselineAccuracy: Double
  /// The unlesioned network's accuracy on each evaluated class.
  public var baselinePerClassAccuracy: [Double]
  /// The mean of ``baselinePerClassAccuracy``.
  public var baselineMeanPerClassAccuracy: Double
  /// One entry per sub-cluster, in the order given.
  public var subClusters: [SubClusterImportance]
  /// Fisher's method across sub-clusters for ``ModuleTestKind/lesionAccuracy`` and
  /// ``ModuleTestKind/lesionSelectivity`` (empty without sub-clusters), Benjamini-Hochberg
  /// corrected across these two.
  public var combinedTests: [CombinedTest]
}

extension Network {
  /// Lesions every sub-cluster and each of its random sets (``SubCluster/randomUnitSets``)
  /// and compares the damage.
  ///
  /// All lesions of one layer run as a few batched forward passes that share the activations
  /// up to the lesioned layer (see ``LesionOptions/elementBudget``).
  ///
  /// - Parameters:
  ///   - subClusters: from ``NeuronGraph/subClusters(labels:network:options:)`` for this network.
  ///   - data: the evaluation set (e.g. the test split), one label per sample.
  /// - Throws: ``NeuronModulesError/invalidOption(_:)`` for empty or mismatched data, labels
  ///   outside the network's classes, or units outside their layer.
  public func lesionImportance(of subClusters: [SubCluster], on data: LabeledData<Scalar>, options: LesionOptions = .init())
    throws -> LesionImportance
  {
    let classes = try validatedClassCount(data)
    guard options.falseDiscoveryRate > 0, options.falseDiscoveryRate <= 1 else {
      throw NeuronModulesError.invalidOption("false discovery rate \(options.falseDiscoveryRate) is outside (0, 1]")
    }
    let counter = ClassCounter(labels: data.labels, classes: classes)
    let baseline = counter.perClassAccuracy(try logits(data.inputs).reshaped([data.count, classes]).argmax(axis: 1))
    let baselineMean = RankTest.mean(baseline.perClass)

    // Per sub-cluster: the predictions of its own lesion, then of its random lesions.
    var predictions = [[[Int]]](repeating: [], count: subClusters.count)
    let bySite = Dictionary(grouping: subClusters.indices) { options.target.site(layerName: subClusters[$0].layerName) }
    for site in bySite.keys.sorted() {
      let members = bySite[site]!
      let lesions = try BatchedLesions(network: self, site: site, elementBudget: options.elementBudget)
      let sets = members.flatMap { [subClusters[$0].units] + subClusters[$0].randomUnitSets }
      let predicted = try lesions.predictions(inputs: data.inputs, unitSets: sets)
      var offset = 0
      for i in members {
        let count = 1 + subClusters[i].randomUnitSets.count
        predictions[i] = Array(predicted[offset..<(offset + count)])
        offset += count
      }
    }

    var results: [SubClusterImportance] = subClusters.indices.map { i in
      let outcomes = predictions[i].map { counter.perClassAccuracy($0) }
      let drops = outcomes.map { outcome in zip(baseline.perClass, outcome.perClass).map { $0 - $1 } }
      let means = outcomes.map { RankTest.mean($0.perClass) }
      let selectivities = drops.map(classSelectivity)
      let trueDrop = baselineMean - means[0]
      let randomDrop = RankTest.mean(means.dropFirst().map { baselineMean - $0 })
      let accuracyEffect = RankStatistics.effectFactor(Swift.max(trueDrop, 0), randomMean: Swift.max(randomDrop, 0))
      return SubClusterImportance(
        perClassAccuracy: outcomes[0].perClass, accuracy: outcomes[0].overall, meanPerClassAccuracy: means[0],
        accuracyDrop: trueDrop, meanRandomAccuracyDrop: randomDrop, classSelectivity: selectivities[0],
        accuracyTest: RankTest(
          value: means[0], randomValues: Array(means.dropFirst()), side: .left, effectFactor: accuracyEffect),
        selectivityTest: RankTest(value: selectivities[0], randomValues: Array(selectivities.dropFirst()), side: .right),
        isImportant: false, isClassSelective: false)
    }
    let rate = options.falseDiscoveryRate
    let accuracyTests = RankTest.correctedAcrossSubClusters(results.map(\.accuracyTest), rate: rate)
    let selectivityTests = RankTest.correctedAcrossSubClusters(results.map(\.selectivityTest), rate: rate)
    for i in results.indices {
      results[i].accuracyTest = accuracyTests[i]
      results[i].selectivityTest = selectivityTests[i]
      let hurts = results[i].accuracyDrop >= options.minimumAccuracyDrop
      results[i].isImportant = accuracyTests[i].isSignificant && hurts
      results[i].isClassSelective = selectivityTests[i].isSignificant && hurts
    }
    let combined = [
      CombinedTest(kind: .lesionAccuracy, tests: accuracyTests),
      CombinedTest(kind: .lesionSelectivity, tests: selectivityTests),
    ].compactMap { $0 }
    return LesionImportance(
      target: options.target, sampleCount: data.count, evaluatedClasses: counter.evaluatedClasses,
      baselineAccuracy: baseline.overall, baselinePerClassAccuracy: baseline.perClass, baselineMeanPerClassAccuracy: baselineMean,
      subClusters: results, combinedTests: CombinedTest.corrected(combined, rate: rate))
  }

  /// The number of classes of the network's output after checking `data` against the network.
  func validatedClassCount(_ data: LabeledData<Scalar>) throws -> Int {
    guard data.count > 0 else { throw NeuronModulesError.invalidOption("the evaluation data has no samples") }
    guard Array(data.inputs.shape.dropFirst()) == architecture.inputShape else {
      throw NeuronModulesError.invalidOption(
        "evaluation inputs have per-sample shape \(Array(data.inputs.shape.dropFirst())), the network expects \(architecture.inputShape)"
      )
    }
    guard data.labels.count == data.count else {
      throw NeuronModulesError.invalidOption(
        "\(data.labels.count) labels for \(data.count) samples (one label per sample needed)")
    }
    guard let logits = sites.first(where: { $0.name == "logits" }), logits.shape.count == 1 else {
      throw NeuronModulesError.unsupportedArchitecture("\(architecture.summary) (expected a classifier with logits [classes])")
    }
    let classes = logits.shape[0]
    if let bad = data.labels.first(where: { $0 < 0 || $0 >= classes }) {
      throw NeuronModulesError.invalidOption("label \(bad) is outside the network's \(classes) classes")
    }
    return classes
  }
}

/// The range of per-class drops over the absolute value of their mean: 0 for equal drops,
/// `+infinity` for unequal drops with mean 0.
func classSelectivity(_ drops: [Double]) -> Double {
  guard let low = drops.min(), let high = drops.max(), high > low else { return 0 }
  let mean = Swift.abs(RankTest.mean(drops))
  return mean > 0 ? (high - low) / mean : .infinity
}

/// Per-class accuracy of predictions against fixed labels.
struct ClassCounter {
  let labels: [Int]
  let totals: [Int]
  /// The classes with at least one sample.
  let evaluatedClasses: [Int]

  init(labels: [Int], classes: Int) {
    var totals = [Int](repeating: 0, count: classes)
    for label in labels { totals[label] += 1 }
    self.labels = labels
    self.totals = totals
    self.evaluatedClasses = totals.indices.filter { totals[$0] > 0 }
  }

  /// Overall accuracy and accuracy per evaluated class.
  func perClassAccuracy(_ predictions: [Int]) -> (overall: Double, perClass: [Double]) {
    var correct = [Int](repeating: 0, count: totals.count)
    for (label, predicted) in zip(labels, predictions) where label == predicted { correct[label] += 1 }
    let perClass = evaluatedClasses.map { Double(correct[$0]) / Double(totals[$0]) }
    return (Double(correct.reduce(0, +)) / Double(Swift.max(labels.count, 1)), perClass)
  }
}
