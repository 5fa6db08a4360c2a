import Foundation
import Networks
import NeuronModules

extension ModulesRun {
  /// The importance (lesion) and coherence statistics of the partition's sub-clusters (cluster
  /// ∩ hidden layer, 2 or more units and at most 99% of the layer's live units), from the
  /// NeuronModules statistics library. Returns nil and the reason when there is nothing to run.
  public static func subClusterStatistics(
    _ context: StatisticsContext, graph: NeuronGraph, labels: [Int], options: ModulesOptions
  ) throws -> (statistics: ModuleStatistics?, skipped: String?) {
    guard options.runsStatistics else { return (nil, "--lesion-trials 0 --coherence none") }
    do {
      let subClusters = try graph.subClusters(
        labels: labels, network: context.network,
        options: SubClusterOptions(randomSetCount: options.randomSetCount, seed: options.seed))
      guard !subClusters.isEmpty else {
        return (nil, "no sub-cluster (cluster within a hidden layer) has 2 or more units and at most 99% of the layer")
      }
      let isImage = context.imageShape != nil || context.network.architecture.inputShape.count == 3
      let statisticsOptions = ModuleStatisticsOptions(
        lesion: options.runsLesions ? LesionOptions() : nil,
        featureVisualization: options.coherenceTests.contains(.vis)
          ? FeatureVisualizationOptions(
            imageShape: context.imageShape, valueRange: isImage ? 0...1 : nil, seed: options.seed) : nil,
        datasetExamples: options.coherenceTests.contains(.examples) ? DatasetExampleOptions() : nil)
      return (try context.network.moduleStatistics(of: subClusters, on: context.data, options: statisticsOptions), nil)
    } catch let error as NeuronModulesError {
      throw AnalysisError("sub-cluster statistics failed: \(error)")
    }
  }
}
