import Networks
import Tensors
import Testing

@testable import NeuronModules

@Suite struct ShuffleTests {
  @Test func statisticsByHand() {
    let test = ClusterabilityTest(normalizedCut: 0.5, shuffledNormalizedCuts: [1, 2, 3, 4])
    #expect(test.mean == 2.5)
    #expect(Swift.abs(test.standardDeviation - 1.25.squareRoot()) < 1e-15)
    #expect(Swift.abs(test.zScore - (-2 / 1.25.squareRoot())) < 1e-12)
    #expect(test.pValue == 1.0 / 5)
    let middle = ClusterabilityTest(normalizedCut: 2.5, shuffledNormalizedCuts: [1, 2, 3, 4])
    #expect(middle.pValue == 3.0 / 5 && middle.zScore == 0)
    // Ties do not count as "shuffled < true".
    #expect(ClusterabilityTest(normalizedCut: 2, shuffledNormalizedCuts: [2, 2, 2]).pValue == 0.25)
  }

  @Test func shufflingPermutesEachWeightTensorOnly() throws {
    let architecture = CNNArchitecture(
      inputShape: [1, 6, 6], convolutions: [.init(channels: 3, batchNorm: true)], denseWidths: [5, 2])
    var network = try Network<Float>(architecture: .cnn(architecture), seed: 1)
    network.parameters["conv.0.bn.weight"] = Tensor([1, 2, 3])
    let shuffled = shufflingWeights(of: network, seed: 7)
    #expect(shuffledWeightNames(of: network) == ["conv.0.weight", "dense.0.weight", "dense.1.weight"])
    for name in network.parameterNames {
      let (before, after) = (network.parameters[name]!, shuffled.parameters[name]!)
      #expect(before.shape == after.shape)
      if shuffledWeightNames(of: network).contains(name) {
        #expect(before.scalars != after.scalars, "\(name) should be permuted")
        #expect(before.scalars.sorted() == after.scalars.sorted(), "\(name) keeps its values")
      } else {
        #expect(before == after, "\(name) must not change")
      }
    }
    #expect(shufflingWeights(of: network, seed: 7).parameters == shuffled.parameters)
    #expect(shufflingWeights(of: network, seed: 8).parameters != shuffled.parameters)
  }

  @Test func modularNetworkBeatsItsShuffles() throws {
    // An MLP 8-16-16-4 made of two disjoint halves (plus faint cross weights).
    var network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [8, 16, 16, 4])), seed: 3)
    for (k, (outputs, inputs)) in [(16, 8), (16, 16), (4, 16)].enumerated() {
      let name = "layers.\(k).weight"
      var scalars = network.parameters[name]!.scalars
      for o in 0..<outputs {
        for i in 0..<inputs where (o < outputs / 2) != (i < inputs / 2) { scalars[o * inputs + i] *= 0.01 }
      }
      network.parameters[name] = Tensor(shape: [outputs, inputs], scalars: scalars)
    }
    let options = SpectralClusteringOptions(clusterCount: 2)
    let ncut = try NeuronGraph(mlpWeightsOf: network).spectralClustering(options).normalizedCut
    let shuffled = try (0..<8).map { seed in
      try NeuronGraph(mlpWeightsOf: shufflingWeights(of: network, seed: UInt64(seed))).spectralClustering(options).normalizedCut
    }
    let test = ClusterabilityTest(normalizedCut: ncut, shuffledNormalizedCuts: shuffled)
    #expect(test.pValue == 1.0 / 9)
    #expect(test.zScore < -3)
  }
}
