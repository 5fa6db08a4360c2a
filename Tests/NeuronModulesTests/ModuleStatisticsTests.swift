import Foundation
import Networks
import Tensors
import Testing

@testable import NeuronModules

@Suite struct ModuleStatisticsTests {
  @Test func allAnalysesAssembledAndCorrectedTogether() throws {
    let (network, subClusters) = try ClassUnits.subClusters(randomSetCount: 99)
    let options = ModuleStatisticsOptions(featureVisualization: .init(steps: 16))
    let statistics = try network.moduleStatistics(of: subClusters, on: ClassUnits.data(), options: options)
    #expect(statistics.randomSetCount == 99 && statistics.subClusters.count == 6)
    #expect(
      statistics.combinedTests.map(\.kind) == [
        .lesionAccuracy, .lesionSelectivity, .visualizationObjective, .visualizationEntropy, .datasetExampleEntropy,
      ])
    let (adjusted, rejected) = RankStatistics.benjaminiHochberg(statistics.combinedTests.map(\.pValue), rate: 0.05)
    #expect(statistics.combinedTests.map(\.adjustedPValue) == adjusted)
    #expect(statistics.combinedTests.map(\.isSignificant) == rejected)
    for c in 0..<4 {
      let labels = statistics.subClusters[c].labels
      #expect(labels.contains(.important) && labels.contains(.classSelective) && labels.contains(.coherentByDatasetExamples))
      #expect(statistics.subClusters[c].subCluster == subClusters[c])
    }
    for s in statistics.subClusters[4...] { #expect(!s.labels.contains(.important)) }

    // The whole result survives JSON (as the CLI writes it, infinities as strings).
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let decoded = try decoder.decode(ModuleStatistics.self, from: encoder.encode(statistics))
    #expect(decoded == statistics)
  }

  @Test func onlyTheRequestedAnalysesRun() throws {
    let (network, subClusters) = try ClassUnits.subClusters()
    let statistics = try network.moduleStatistics(
      of: subClusters, on: ClassUnits.data(), options: .init(lesion: nil, datasetExamples: .init()))
    #expect(statistics.lesion == nil && statistics.featureVisualization == nil && statistics.datasetExamples != nil)
    #expect(statistics.combinedTests.map(\.kind) == [.datasetExampleEntropy])
    #expect(statistics.subClusters.allSatisfy { $0.importance == nil && $0.datasetExamples != nil })
  }

  @Test func mismatchedResultsAreRejected() throws {
    let (network, subClusters) = try ClassUnits.subClusters()
    let lesion = try network.lesionImportance(of: Array(subClusters.prefix(2)), on: ClassUnits.data())
    #expect(throws: NeuronModulesError.self) {
      try ModuleStatistics(subClusters: subClusters, lesion: lesion, featureVisualization: nil, datasetExamples: nil)
    }
    #expect(throws: NeuronModulesError.self) {
      try ModuleStatistics(subClusters: [], lesion: nil, featureVisualization: nil, datasetExamples: nil, falseDiscoveryRate: 2)
    }
  }
}
