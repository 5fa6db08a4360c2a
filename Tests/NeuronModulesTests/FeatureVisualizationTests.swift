import Autodiff
import Foundation
import Networks
import Tensors
import Testing

@testable import NeuronModules

@Suite struct FeatureVisualizationTests {
  @Test func fourierBasisMatchesNumpyIrfft2() {
    for fixture in ModuleStatsFixtures.shared.fourier {
      let basis = FourierBasis(height: fixture.height, width: fixture.width, decayPower: fixture.decayPower)
      #expect(basis.coefficientCount == 2 * fixture.height * (fixture.width / 2 + 1))
      let coefficients = Tensor(shape: [1, basis.coefficientCount], scalars: fixture.real + fixture.imaginary)
      let image = coefficients.matmul(basis.matrix).scalars
      let scale = fixture.image.map { Swift.abs($0) }.max()!
      let error = zip(image, fixture.image).map { Swift.abs($0 - $1) }.max()!
      #expect(error <= 1e-12 * scale, "\(fixture.height)x\(fixture.width): \(error)")
    }
  }

  /// Central differences of the summed objective at a few parameter coordinates.
  func checkGradient(_ visualizer: FeatureVisualizer<Double>, sets: [[Int]], seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    let count = sets.count * visualizer.parameterCount
    let start = Tensor(
      shape: [sets.count, visualizer.parameterCount], scalars: (0..<count).map { _ in generator.nextStandardNormal() })
    let variable = Variable(start, requiresGradient: true)
    let gradient = try visualizer.objectives(variable, unitSets: sets).sum().gradient(withRespectTo: variable)
    func total(_ x: Tensor<Double>) throws -> Double { try visualizer.objectives(Variable(x), unitSets: sets).sum().value.scalar }
    let h = 1e-6
    for k in 0..<12 {
      let index = (k * 7919) % count
      var plus = start.scalars
      var minus = start.scalars
      plus[index] += h
      minus[index] -= h
      let numeric =
        (try total(Tensor(shape: start.shape, scalars: plus)) - total(Tensor(shape: start.shape, scalars: minus))) / (2 * h)
      let analytic = gradient.scalars[index]
      #expect(
        Swift.abs(numeric - analytic) <= 1e-6 * Swift.max(1, Swift.abs(numeric)),
        "\(visualizer.site) \(visualizer.parameterization) coordinate \(index): \(analytic) vs \(numeric)")
    }
    // Each input's gradient comes from its own set only: zero where its set has no units.
    if sets.last!.isEmpty {
      let last = gradient.slice(axis: 0, (sets.count - 1)..<sets.count)
      #expect(last.scalars.allSatisfy { $0 == 0 })
    }
  }

  @Test func objectiveGradientMatchesFiniteDifferences() throws {
    let mlp = try Network<Double>(architecture: .mlp(MLPArchitecture(widths: [16, 6, 5, 3], activation: .gelu)), seed: 3)
    for (kind, range) in [(ImageParameterization.pixels, nil), (.fourier, nil), (.fourier, 0.0...1.0), (.pixels, -1.0...2.0)] {
      let options = FeatureVisualizationOptions(parameterization: kind, imageShape: [1, 4, 4], valueRange: range)
      for site in ["layers.0.pre", "layers.1.pre"] {
        let visualizer = try FeatureVisualizer(network: mlp, site: site, options: options)
        try checkGradient(visualizer, sets: [[0, 2], [1, 3, 4], []], seed: 1)
      }
    }
    let architecture = CNNArchitecture(
      inputShape: [2, 5, 5], convolutions: [.init(channels: 3, batchNorm: true), .init(channels: 4)], denseWidths: [3])
    var cnn = try Network<Double>(architecture: .cnn(architecture), seed: 8)
    cnn.parameters["conv.0.bn.running_var"] = Tensor([0.5, 2, 1.5])
    for kind in ImageParameterization.allCases {
      let visualizer = try FeatureVisualizer(network: cnn, site: "conv.1.pre", options: .init(parameterization: kind))
      #expect(visualizer.imageShape == [2, 5, 5])
      try checkGradient(visualizer, sets: [[0, 3], [1], []], seed: 2)
    }
  }

  @Test func batchedSetsOptimizeIndependently() throws {
    let network = try Network<Double>(architecture: .mlp(MLPArchitecture(widths: [9, 8, 4])), seed: 6)
    let visualizer = try FeatureVisualizer(
      network: network, site: "layers.0.pre", options: .init(steps: 20, parameterization: .fourier, imageShape: [1, 3, 3]))
    var generator = SeededGenerator(seed: 4)
    let start = Tensor(
      shape: [2, visualizer.parameterCount],
      scalars: (0..<(2 * visualizer.parameterCount)).map { _ in
        0.1 * generator.nextStandardNormal()
      })
    let sets = [[0, 5, 7], [2]]
    let together = try visualizer.optimize(unitSets: sets, start: start)
    for b in 0..<2 {
      let alone = try visualizer.optimize(unitSets: [sets[b]], start: start.slice(axis: 0, b..<(b + 1)))
      let difference = zip(alone.parameters.scalars, together.parameters.slice(axis: 0, b..<(b + 1)).scalars).map {
        Swift.abs($0 - $1)
      }.max()!
      #expect(difference < 1e-12)
      #expect(Swift.abs(alone.objectives[0] - together.objectives[b]) < 1e-12)
    }
  }

  @Test func optimizationIncreasesTheObjective() throws {
    let (network, subClusters) = try ClassUnits.subClusters()
    let visualizer = try FeatureVisualizer(network: network, site: "layers.0.pre")
    #expect(visualizer.parameterization == .pixels)
    let sets = [subClusters[0].units] + subClusters[5].randomUnitSets.prefix(5)
    let result = try visualizer.optimize(unitSets: sets, seed: 3)
    #expect(result.images.shape == [6, 4])
    for (initial, final) in zip(result.initialObjectives, result.objectives) { #expect(final > initial + 1) }
    // 64 Adam steps of 0.05 from ~0 move an input coordinate to about 3.2: the class-0 units
    // read input 0, so their objective is about 3 * 3.2.
    #expect(Swift.abs(result.objectives[0] - 3 * 3.2) < 0.3)

    let architecture = CNNArchitecture(
      inputShape: [1, 8, 8], convolutions: [.init(channels: 4, pooling: .init(kind: .max, size: 2)), .init(channels: 6)],
      denseWidths: [10, 3])
    let cnn = try Network<Float>(architecture: .cnn(architecture), seed: 12)
    for kind in ImageParameterization.allCases {
      let cnnVisualizer = try FeatureVisualizer(
        network: cnn, site: "conv.1.pre", options: .init(steps: 32, parameterization: kind, valueRange: 0...1))
      let cnnResult = try cnnVisualizer.optimize(unitSets: [[0, 1], [2, 3, 4], [5]], seed: 9)
      for (initial, final) in zip(cnnResult.initialObjectives, cnnResult.objectives) { #expect(final > initial, "\(kind)") }
      #expect(cnnResult.images.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
  }

  @Test func classUnitVisualizations() throws {
    let (network, subClusters) = try ClassUnits.subClusters()
    let result = try network.featureVisualizationCoherence(of: subClusters)
    #expect(result.parameterization == .pixels && result.imageShape == [4] && result.steps == 64)
    for c in 0..<4 {
      let s = result.subClusters[c]
      // Only input c drives the class-c units: it alone moves, by about 64 * 0.05 in the
      // direction of its start (|pre-activation| is maximized either way).
      let x = Double(s.image[c])
      #expect(Swift.abs(Swift.abs(x) - 3.2) < 0.2)
      #expect((0..<4).allSatisfy { $0 == c || Swift.abs(s.image[$0]) < 0.05 })
      #expect(Swift.abs(s.objective - 3 * Swift.abs(x)) < 1e-4)
      // The logits by hand: class-k units fire for x_k > 0, the "silent" units (feeding logit 0)
      // for sum x < -0.1.
      let image = s.image.map { Double($0) }
      var logits = image.map { 3 * Swift.max($0, 0) } + [0.5]
      logits[0] += 4 * Swift.max(-image.reduce(0, +) - 0.1, 0)
      #expect(s.predictedClass == (x > 0 ? c : 0))
      #expect(Swift.abs(s.softmaxEntropy - RankStatistics.entropy(logits.map { Foundation.exp($0) })) < 1e-5)
      #expect(s.objectiveTest.randomValues.count == 19 && s.entropyTest.randomValues.count == 19)
    }
    #expect(result.combinedTests.map(\.kind) == [.visualizationObjective, .visualizationEntropy])
    // Batching does not change the results: one sub-cluster (20 inputs) per batch gives the same.
    let separate = try network.featureVisualizationCoherence(of: subClusters, options: .init(maximumBatchSize: 20))
    for (a, b) in zip(separate.subClusters, result.subClusters) {
      #expect(Swift.abs(a.objective - b.objective) <= 1e-5 * b.objective)
      #expect(a.image == b.image || zip(a.image, b.image).allSatisfy { Swift.abs($0 - $1) < 1e-5 })
    }
  }

  @Test func visualizationErrors() throws {
    let network: Network<Float> = try ClassUnits.network()
    #expect(throws: NeuronModulesError.self) {
      try FeatureVisualizer(network: network, site: "layers.0.pre", options: .init(parameterization: .fourier))
    }
    #expect(throws: NeuronModulesError.self) {
      try FeatureVisualizer(network: network, site: "layers.0.pre", options: .init(imageShape: [1, 3, 3]))
    }
    #expect(throws: NeuronModulesError.self) { try FeatureVisualizer(network: network, site: "layers.7.pre") }
    #expect(throws: NeuronModulesError.self) {
      try FeatureVisualizer(network: network, site: "layers.0.pre", options: .init(valueRange: 1...1))
    }
    let visualizer = try FeatureVisualizer(network: network, site: "layers.0.pre", options: .init(imageShape: [1, 2, 2]))
    #expect(visualizer.parameterization == .fourier)
    #expect(throws: NeuronModulesError.self) { try visualizer.optimize(unitSets: [[0, 99]], seed: 0) }
  }
}
