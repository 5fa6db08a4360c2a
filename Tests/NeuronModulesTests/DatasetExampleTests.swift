import Autodiff
import Foundation
import Networks
import Tensors
import Testing

@testable import NeuronModules

@Suite struct DatasetExampleTests {
  @Test func topIndicesAreLargestFirstWithTiesToTheLowerIndex() {
    let values: [Double] = [0.5, 2, 1, 2, -1, 3, 1]
    #expect(topIndices(values[...], 3) == [5, 1, 3])
    #expect(topIndices(values[...], 5) == [5, 1, 3, 2, 6])
    #expect(topIndices(values[2...], 2) == [3, 1])  // positions within the slice
    #expect(topIndices(values[...], 10) == [5, 1, 3, 2, 6, 0, 4])
  }

  @Test func classUnitsPickTheirClassExamples() throws {
    let (network, subClusters) = try ClassUnits.subClusters()
    let data: LabeledData<Float> = ClassUnits.data()
    let result = try network.datasetExampleCoherence(of: subClusters, on: data)
    #expect(result.exampleCount == 10)
    for c in 0..<4 {
      let s = result.subClusters[c]
      // Class c's samples, strongest input (largest i) first.
      #expect(s.exampleIndices == (0..<10).reversed().map { 4 * $0 + c })
      #expect(s.exampleLabels == [Int](repeating: c, count: 10))
      #expect(s.labelEntropy == 0)
      #expect(s.entropyTest.pValue <= 0.1)
    }
    // Inert units read every input equally: the 10 largest inputs (magnitudes 10, 9 and 8,
    // ties to the lower index), 2-3 of each class.
    let inert = result.subClusters[4]
    #expect(inert.exampleIndices == [36, 37, 38, 39, 32, 33, 34, 35, 28, 29])
    #expect(Swift.abs(inert.labelEntropy - RankStatistics.entropy([3, 3, 2, 2])) < 1e-12)
    #expect(result.combinedTests.map(\.kind) == [.datasetExampleEntropy])
  }

  /// The top examples from the batched scores equal a brute-force ranking of captured pre-activations.
  @Test func scoresMatchCapturedActivations() throws {
    let architecture = CNNArchitecture(
      inputShape: [1, 6, 6], convolutions: [.init(channels: 5, batchNorm: true), .init(channels: 4)], denseWidths: [7, 3])
    let network = try Network<Float>(architecture: .cnn(architecture), seed: 21)
    let graph = try NeuronGraph(cnnWeightsOf: network, options: .init(includeDenseHead: true))
    let subClusters = try graph.subClusters(
      labels: graph.nodes.map { $0.unit % 2 }, network: network, options: .init(randomSetCount: 4, seed: 5))
    let n = 60
    let inputs = Tensor<Float>(shape: [n, 1, 6, 6], scalars: (0..<(n * 36)).map { Float(Foundation.sin(0.91 * Double($0))) })
    let data = LabeledData(inputs: inputs, labels: (0..<n).map { ($0 * 7) % 3 }, classes: 3)
    let result = try network.datasetExampleCoherence(of: subClusters, on: data, options: .init(exampleCount: 7, batchSize: 16))
    let sites = Set(subClusters.map(\.site))
    let captured = try network.forward(Variable(inputs), options: ForwardOptions(capture: sites)).captured
    for (s, subCluster) in subClusters.enumerated() {
      let pre = captured[subCluster.site]!.value
      let width = pre.shape[1]
      let area = pre.count / (n * width)
      for (k, set) in ([subCluster.units] + subCluster.randomUnitSets).enumerated() {
        let scores = (0..<n).map { i in
          set.reduce(0.0) { total, u in
            var mean = 0.0
            for p in 0..<area { mean += Double(pre.scalars[(i * width + u) * area + p]) }
            return total + Swift.abs(mean / Double(area))
          }
        }
        let expected = Array((0..<n).sorted { (scores[$0], -$0) > (scores[$1], -$1) }.prefix(7))
        let labels = expected.map { data.labels[$0] }
        if k == 0 {
          #expect(result.subClusters[s].exampleIndices == expected, "\(subCluster.site) \(subCluster.units)")
          #expect(result.subClusters[s].labelEntropy == labelEntropy(labels))
        } else {
          #expect(result.subClusters[s].entropyTest.randomValues[k - 1] == labelEntropy(labels))
        }
      }
    }
  }
}
