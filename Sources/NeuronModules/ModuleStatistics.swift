import Networks
import Tensors

/// A finding about one sub-cluster, from its Benjamini-Hochberg corrected tests.
public enum SubClusterLabel: String, Sendable, Hashable, Codable, CaseIterable {
  /// The lesion accuracy test is significant and the lesion costs at least
  /// ``LesionOptions/minimumAccuracyDrop`` of mean per-class accuracy.
  case important
  /// The lesion selectivity test is significant and the lesion costs at least the minimum drop.
  case classSelective
  /// The visualization objective test is significant: the units can be excited together more
  /// than random sets of the layer.
  case coherentByVisualizationObjective
  /// The visualization entropy test is significant: the network classifies the sub-cluster's
  /// visualization more confidently than random sets'.
  case coherentByVisualizationEntropy
  /// The dataset-example test is significant: the inputs that most excite the units share
  /// labels more than random sets'.
  case coherentByDatasetExamples
}

/// Everything measured about one sub-cluster.
public struct SubClusterStatistics: Sendable, Hashable, Codable {
  /// The layer, units, size and random sets.
  public var subCluster: SubCluster
  public var importance: SubClusterImportance?
  public var featureVisualization: SubClusterVisualization?
  public var datasetExamples: SubClusterExamples?
  /// The labels earned, in ``SubClusterLabel`` order.
  public var labels: [SubClusterLabel]
}

/// Importance and coherence statistics of a network's sub-clusters (Hod et al. 2021): what
/// `netatlas modules` writes as its sub-cluster results.
public struct ModuleStatistics: Sendable, Hashable, Codable {
  /// The false discovery rate of every Benjamini-Hochberg step.
  public var falseDiscoveryRate: Double
  /// Random sets per sub-cluster, `n`.
  public var randomSetCount: Int
  /// One entry per sub-cluster.
  public var subClusters: [SubClusterStatistics]
  /// The lesion test's network-level results (baselines; per-sub-cluster parts are in ``subClusters``).
  public var lesion: LesionImportance?
  /// The feature-visualization test's settings and combined tests.
  public var featureVisualization: FeatureVisualizationCoherence?
  /// The dataset-example test's settings and combined tests.
  public var datasetExamples: DatasetExampleCoherence?
  /// Fisher's method per test across sub-clusters, Benjamini-Hochberg corrected across all the
  /// tests run (these adjusted p-values supersede those inside ``lesion``, ``featureVisualization``
  /// and ``datasetExamples``, which are corrected within each analysis only).
  public var combinedTests: [CombinedTest]

  /// Assembles the analyses run on `subClusters` (each in the same order) and corrects the
  /// combined tests across all of them.
  public init(
    subClusters: [SubCluster], lesion: LesionImportance?, featureVisualization: FeatureVisualizationCoherence?,
    datasetExamples: DatasetExampleCoherence?, falseDiscoveryRate: Double = 0.05
  ) throws {
    guard falseDiscoveryRate > 0, falseDiscoveryRate <= 1 else {
      throw NeuronModulesError.invalidOption("false discovery rate \(falseDiscoveryRate) is outside (0, 1]")
    }
    for (name, count) in [
      ("lesion", lesion?.subClusters.count), ("feature visualization", featureVisualization?.subClusters.count),
      ("dataset examples", datasetExamples?.subClusters.count),
    ] {
      if let count, count != subClusters.count {
        throw NeuronModulesError.invalidShape("\(name) results for \(count) sub-clusters, expected \(subClusters.count)")
      }
    }
    self.falseDiscoveryRate = falseDiscoveryRate
    self.randomSetCount = subClusters.first?.randomUnitSets.count ?? 0
    self.lesion = lesion
    self.featureVisualization = featureVisualization
    self.datasetExamples = datasetExamples
    self.subClusters = subClusters.indices.map { i in
      let importance = lesion?.subClusters[i]
      let visualization = featureVisualization?.subClusters[i]
      let examples = datasetExamples?.subClusters[i]
      var labels: [SubClusterLabel] = []
      if importance?.isImportant == true { labels.append(.important) }
      if importance?.isClassSelective == true { labels.append(.classSelective) }
      if visualization?.objectiveTest.isSignificant == true { labels.append(.coherentByVisualizationObjective) }
      if visualization?.entropyTest.isSignificant == true { labels.append(.coherentByVisualizationEntropy) }
      if examples?.entropyTest.isSignificant == true { labels.append(.coherentByDatasetExamples) }
      return SubClusterStatistics(
        subCluster: subClusters[i], importance: importance, featureVisualization: visualization, datasetExamples: examples,
        labels: labels)
    }
    let all =
      (lesion?.combinedTests ?? []) + (featureVisualization?.combinedTests ?? []) + (datasetExamples?.combinedTests ?? [])
    self.combinedTests = CombinedTest.corrected(all, rate: falseDiscoveryRate)
  }
}

/// Which analyses ``Network/moduleStatistics(of:on:options:)`` runs, with their options.
public struct ModuleStatisticsOptions: Sendable, Hashable {
  /// The lesion test's options; nil skips it.
  public var lesion: LesionOptions?
  /// The feature-visualization test's options; nil skips it.
  public var featureVisualization: FeatureVisualizationOptions?
  /// The dataset-example test's options; nil skips it.
  public var datasetExamples: DatasetExampleOptions?
  /// The false discovery rate across the combined tests [0.05].
  public var falseDiscoveryRate: Double

  /// Defaults: lesions and dataset examples (what `netatlas modules` runs by default), no
  /// feature visualization.
  public init(
    lesion: LesionOptions? = .init(), featureVisualization: FeatureVisualizationOptions? = nil,
    datasetExamples: DatasetExampleOptions? = .init(), falseDiscoveryRate: Double = 0.05
  ) {
    self.lesion = lesion
    self.featureVisualization = featureVisualization
    self.datasetExamples = datasetExamples
    self.falseDiscoveryRate = falseDiscoveryRate
  }
}

extension Network {
  /// Runs the chosen importance and coherence analyses on `subClusters` and assembles them.
  ///
  /// - Parameters:
  ///   - subClusters: from ``NeuronGraph/subClusters(labels:network:options:)``.
  ///   - data: evaluation data for the lesion and dataset-example tests (e.g. the test split).
  public func moduleStatistics(
    of subClusters: [SubCluster], on data: LabeledData<Scalar>, options: ModuleStatisticsOptions = .init()
  )
    throws -> ModuleStatistics
  {
    try ModuleStatistics(
      subClusters: subClusters,
      lesion: try options.lesion.map { try lesionImportance(of: subClusters, on: data, options: $0) },
      featureVisualization: try options.featureVisualization.map {
        try featureVisualizationCoherence(of: subClusters, options: $0)
      },
      datasetExamples: try options.datasetExamples.map { try datasetExampleCoherence(of: subClusters, on: data, options: $0) },
      falseDiscoveryRate: options.falseDiscoveryRate)
  }
}
