import Autodiff
import Foundation
import Networks
import Tensors
import Testing

@testable import NeuronModules

@Suite struct LesionTests {
  /// The network with the incoming weights (rows of "{layer}.weight") and biases of `units` set to 0.
  func zeroingIncomingWeights<Scalar>(_ network: Network<Scalar>, layer: String, units: [Int]) throws -> Network<Scalar> {
    var parameters = network.parameters
    var weight = parameters["\(layer).weight"]!
    var bias = parameters["\(layer).bias"]!
    let fanIn = weight.count / weight.shape[0]
    var w = weight.scalars
    var b = bias.scalars
    for u in units {
      for i in 0..<fanIn { w[u * fanIn + i] = 0 }
      b[u] = 0
    }
    weight = Tensor(shape: weight.shape, scalars: w)
    bias = Tensor(shape: bias.shape, scalars: b)
    parameters["\(layer).weight"] = weight
    parameters["\(layer).bias"] = bias
    return try Network(architecture: network.architecture, parameters: parameters)
  }

  /// Batched lesion logits for `sets` at `site`, split back per set.
  func lesionedLogits<Scalar>(
    _ network: Network<Scalar>, site: String, sets: [[Int]], inputs: Tensor<Scalar>, allowsShortcut: Bool = true
  ) throws -> [Tensor<Scalar>] {
    let lesions = try BatchedLesions(network: network, site: site, elementBudget: 1 << 20, allowsShortcut: allowsShortcut)
    let logits = try lesions.groupLogits(prefix: lesions.prefix(inputs), unitSets: sets)
    let n = inputs.shape[0]
    return sets.indices.map { logits.slice(axis: 0, ($0 * n)..<(($0 + 1) * n)) }
  }

  func maxDifference<Scalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Double {
    zip(a.scalars, b.scalars).map { Swift.abs(Double($0) - Double($1)) }.max() ?? 0
  }

  @Test func preActivationLesionEqualsZeroedWeightsInMLPs() throws {
    for (activation, residual) in [(Activation.relu, false), (.sigmoid, false), (.relu, true), (.gelu, true)] {
      let architecture = MLPArchitecture(widths: [5, 7, 7, 7, 3], activation: activation, residual: residual)
      let network = try Network<Double>(architecture: .mlp(architecture), seed: 11)
      let inputs = Tensor<Double>(shape: [6, 5], scalars: (0..<30).map { Foundation.sin(Double($0)) })
      for layer in ["layers.0", "layers.1", "layers.2"] {
        let sets = [[0, 3], [1, 2, 6], [5]]
        let batched = try lesionedLogits(network, site: "\(layer).pre", sets: sets, inputs: inputs)
        for (k, set) in sets.enumerated() {
          let reference = try zeroingIncomingWeights(network, layer: layer, units: set)(inputs)
          #expect(maxDifference(batched[k], reference) < 1e-12, "\(activation) residual \(residual) \(layer) \(set)")
        }
      }
    }
  }

  @Test func linearShortcutEqualsDirectComputation() throws {
    for activation in [Activation.relu, .sigmoid, .tanh] {
      let network = try Network<Double>(
        architecture: .mlp(MLPArchitecture(widths: [5, 8, 6, 3], activation: activation)), seed: 2)
      let inputs = Tensor<Double>(shape: [7, 5], scalars: (0..<35).map { Foundation.sin(0.8 * Double($0)) })
      for site in ["layers.0.pre", "layers.0.post", "layers.1.pre", "layers.1.post"] {
        #expect(try BatchedLesions(network: network, site: site, elementBudget: 1 << 20).usesLinearShortcut)
        let sets = [[0, 3], [1, 2, 5], [4], []]
        let fast = try lesionedLogits(network, site: site, sets: sets, inputs: inputs)
        let direct = try lesionedLogits(network, site: site, sets: sets, inputs: inputs, allowsShortcut: false)
        for k in sets.indices { #expect(maxDifference(fast[k], direct[k]) < 1e-12, "\(activation) \(site) \(sets[k])") }
      }
    }
    let residual = try Network<Double>(architecture: .mlp(MLPArchitecture(widths: [5, 8, 8, 3], residual: true)), seed: 2)
    #expect(try !BatchedLesions(network: residual, site: "layers.0.pre", elementBudget: 1 << 20).usesLinearShortcut)
    let cnn = try Network<Double>(
      architecture: .cnn(CNNArchitecture(inputShape: [1, 4, 4], convolutions: [.init(channels: 2)], denseWidths: [5, 2])), seed: 1
    )
    #expect(try !BatchedLesions(network: cnn, site: "conv.0.pre", elementBudget: 1 << 20).usesLinearShortcut)
  }

  @Test func preActivationLesionEqualsZeroedWeightsInCNNsWithBatchNorm() throws {
    let architecture = CNNArchitecture(
      inputShape: [2, 6, 6],
      convolutions: [
        .init(channels: 4, batchNorm: true, pooling: .init(kind: .max, size: 2)), .init(channels: 5, batchNorm: true),
      ], denseWidths: [6, 3])
    var network = try Network<Double>(architecture: .cnn(architecture), seed: 5)
    // Non-trivial BatchNorm statistics, so that a zeroed convolution still leaves a shift.
    for (k, channels) in [4, 5].enumerated() {
      network.parameters["conv.\(k).bn.running_mean"] = Tensor((0..<channels).map { 0.3 * Double($0) - 0.4 })
      network.parameters["conv.\(k).bn.running_var"] = Tensor((0..<channels).map { 0.5 + 0.2 * Double($0) })
      network.parameters["conv.\(k).bn.bias"] = Tensor((0..<channels).map { 0.1 * Double($0) + 0.2 })
    }
    let inputs = Tensor<Double>(shape: [3, 2, 6, 6], scalars: (0..<216).map { Foundation.cos(0.7 * Double($0)) })
    for (layer, sets) in [("conv.0", [[0, 2], [3]]), ("conv.1", [[1, 4], [0, 2, 3]]), ("dense.0", [[0, 5]])] {
      let incoming = try lesionedLogits(network, site: "\(layer).pre", sets: sets, inputs: inputs)
      let outputs = try lesionedLogits(network, site: "\(layer).post", sets: sets, inputs: inputs)
      for (k, set) in sets.enumerated() {
        let reference = try zeroingIncomingWeights(network, layer: layer, units: set)(inputs)
        #expect(maxDifference(incoming[k], reference) < 1e-12, "\(layer) \(set)")
        let removed = try network.forward(
          Variable(inputs), options: ForwardOptions(interventions: ["\(layer).post": .zeroing(units: set)])
        ).output.value
        #expect(maxDifference(outputs[k], removed) < 1e-12, "\(layer) \(set)")
        // With BatchNorm, zeroing the convolution is not removing the channel.
        if layer.hasPrefix("conv") { #expect(maxDifference(outputs[k], reference) > 1e-5, "\(layer) \(set)") }
      }
    }
  }

  @Test func reluLesionTargetsAgreeWithoutBatchNorm() throws {
    let network = try Network<Double>(architecture: .mlp(MLPArchitecture(widths: [4, 6, 6, 2])), seed: 9)
    let inputs = Tensor<Double>(shape: [5, 4], scalars: (0..<20).map { Foundation.sin(1.3 * Double($0)) })
    let sets = [[0, 1, 5], [2]]
    for layer in ["layers.0", "layers.1"] {
      let pre = try lesionedLogits(network, site: "\(layer).pre", sets: sets, inputs: inputs)
      let post = try lesionedLogits(network, site: "\(layer).post", sets: sets, inputs: inputs)
      for k in sets.indices { #expect(maxDifference(pre[k], post[k]) == 0) }
    }
  }

  @Test func batchingDoesNotChangePredictions() throws {
    let network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [6, 12, 12, 4], residual: true)), seed: 4)
    let inputs = Tensor<Float>(shape: [50, 6], scalars: (0..<300).map { Float(Foundation.sin(0.37 * Double($0))) })
    let sets = [[0, 1], [3, 4, 5], [11], [2, 7, 8, 9]]
    for site in ["layers.0.pre", "layers.1.pre", "layers.1.post"] {
      let big = try BatchedLesions(network: network, site: site, elementBudget: 1 << 22).predictions(
        inputs: inputs, unitSets: sets)
      // A budget of 100 elements: 8 samples per chunk and one lesion per batch.
      let small = try BatchedLesions(network: network, site: site, elementBudget: 100).predictions(inputs: inputs, unitSets: sets)
      #expect(big == small, "\(site)")
      for (k, set) in sets.enumerated() {
        let reference = try network.forward(
          Variable(inputs), options: ForwardOptions(interventions: [site: .zeroing(units: set)]))
        #expect(reference.output.value.argmax(axis: 1) == big[k], "\(site) \(set)")
      }
    }
  }

  @Test func classUnitsAreImportantAndSilentUnitsAreNot() throws {
    let (network, subClusters) = try ClassUnits.subClusters(randomSetCount: 99)
    let result = try network.lesionImportance(of: subClusters, on: ClassUnits.data())
    #expect(result.evaluatedClasses == [0, 1, 2, 3])
    #expect(result.baselineAccuracy == 1 && result.baselineMeanPerClassAccuracy == 1)
    #expect(result.sampleCount == 40)
    for c in 0..<4 {
      let s = result.subClusters[c]
      // Lesioning class c's three units loses exactly class c.
      var expected = [1.0, 1, 1, 1]
      expected[c] = 0
      #expect(s.perClassAccuracy == expected)
      #expect(s.meanPerClassAccuracy == 0.75 && s.accuracyDrop == 0.25 && s.accuracy == 0.75)
      #expect(s.classSelectivity == 4)
      // A random 3-set hurts (as much) only when it is one of the 4 class triples.
      let triples = subClusters[c].randomUnitSets.filter { set in set.allSatisfy { $0 < 12 } && Set(set.map { $0 / 3 }).count == 1
      }
      #expect(s.accuracyTest.pValue == Double(triples.count + 1) / 100)
      #expect(s.selectivityTest.pValue == Double(triples.count + 1) / 100)
      #expect(s.accuracyTest.randomValues.filter { $0 != 1 }.count == triples.count)
      #expect(s.accuracyTest.effectFactor > 1.8)
      #expect(s.isImportant && s.isClassSelective)
    }
    for s in result.subClusters[4...] {
      // Inert and silent units: the lesion changes nothing, which ties with (or beats) every random lesion.
      #expect(s.accuracyDrop == 0 && s.classSelectivity == 0)
      #expect(s.accuracyTest.pValue == 1 && s.selectivityTest.pValue == 1)
      #expect(!s.isImportant && !s.isClassSelective)
    }
    let accuracy = try #require(result.combinedTests.first { $0.kind == .lesionAccuracy })
    let reference = try #require(
      RankStatistics.fisherCombination(result.subClusters.map(\.accuracyTest.pValue), randomSetCount: 99))
    #expect(accuracy.pValue == reference.pValue && accuracy.subClusterCount == 6)
    #expect(accuracy.pValue < 1e-3 && accuracy.isSignificant)
  }

  @Test func nineteenRandomSetsCannotLabelOneOfSeveralSubClusters() throws {
    // With n = 19 the smallest rank p-value is 1/20 = the false discovery rate, so
    // Benjamini-Hochberg over m sub-clusters rejects only if all m reach it.
    let (network, subClusters) = try ClassUnits.subClusters(randomSetCount: 19)
    let result = try network.lesionImportance(of: subClusters, on: ClassUnits.data())
    #expect(result.subClusters[..<4].allSatisfy { $0.accuracyTest.pValue == 0.05 })
    #expect(result.subClusters.allSatisfy { !$0.isImportant })
    // Alone, a sub-cluster at p = 1/20 is significant.
    let alone = try network.lesionImportance(of: [subClusters[0]], on: ClassUnits.data())
    #expect(alone.subClusters[0].isImportant)
  }

  @Test func lesionErrors() throws {
    let (network, subClusters) = try ClassUnits.subClusters()
    let data: LabeledData<Float> = ClassUnits.data()
    let wrongShape = LabeledData(inputs: Tensor<Float>.zeros([3, 5]), labels: [0, 1, 2], classes: 5)
    #expect(throws: NeuronModulesError.self) { try network.lesionImportance(of: subClusters, on: wrongShape) }
    let badLabels = LabeledData(inputs: data.inputs, labels: data.labels.map { $0 == 3 ? 9 : $0 }, classes: 10)
    #expect(throws: NeuronModulesError.self) { try network.lesionImportance(of: subClusters, on: badLabels) }
    let empty = LabeledData(inputs: Tensor<Float>.zeros([0, 4]), labels: [], classes: 5)
    #expect(throws: NeuronModulesError.self) { try network.lesionImportance(of: subClusters, on: empty) }
    var outside = subClusters[0]
    outside.units = [0, 25]
    #expect(throws: NeuronModulesError.self) { try network.lesionImportance(of: [outside], on: data) }
    #expect(throws: NeuronModulesError.self) {
      try network.lesionImportance(of: subClusters, on: data, options: .init(falseDiscoveryRate: 0))
    }
    // No sub-clusters: baselines only, no combined tests.
    let none = try network.lesionImportance(of: [], on: data)
    #expect(none.subClusters.isEmpty && none.combinedTests.isEmpty && none.baselineAccuracy == 1)
  }
}
