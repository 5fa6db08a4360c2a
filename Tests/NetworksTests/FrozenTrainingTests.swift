import Autodiff
import Tensors
import Testing

@testable import Networks

/// Training a subset of parameters, or a subset of one parameter's entries: everything else
/// keeps its exact bits, even under weight decay and momentum.
@Suite struct FrozenTrainingTests {
  static let architecture = Architecture.mlp(MLPArchitecture(widths: [4, 6, 6, 3], residual: true))
  static let configuration = TrainingConfiguration(
    optimizer: .adamW(learningRate: 0.01, weightDecay: 0.5), epochs: 4, batchSize: 50, seed: 2)

  static func bits(_ t: Tensor<Float>) -> [UInt32] { t.scalars.map(\.bitPattern) }

  @Test func frozenParametersAndEntriesKeepTheirBits() throws {
    var network = try Network<Float>(architecture: Self.architecture, seed: 3)
    // A negative zero in a frozen entry: restoring by arithmetic (x * 0 + y) would flip its sign.
    network.parameters["layers.1.weight"]![flat: 3] = -0.0
    network.parameters["layers.2.weight"]![flat: 1] = -0.0
    let before = network.parameters
    let trainedEntries = [0, 5, 7, 20]
    try network.train(
      on: TrainingTests.blobs(count: 200, seed: 4), configuration: Self.configuration,
      trainableParameters: ["layers.1.weight", "layers.1.bias"], trainableEntries: ["layers.1.weight": trainedEntries])
    for name in ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"] {
      #expect(Self.bits(network.parameters[name]!) == Self.bits(before[name]!), "\(name) changed")
    }
    let weight = network.parameters["layers.1.weight"]!
    let original = before["layers.1.weight"]!
    for i in 0..<weight.count {
      if trainedEntries.contains(i) {
        #expect(weight[flat: i] != original[flat: i], "entry \(i) did not train")
      } else {
        #expect(weight[flat: i].bitPattern == original[flat: i].bitPattern, "frozen entry \(i) changed")
      }
    }
    let bias = network.parameters["layers.1.bias"]!
    for i in 0..<bias.count { #expect(bias[flat: i] != before["layers.1.bias"]![flat: i], "bias \(i) did not train") }
  }

  /// A mask holding every entry is no mask: the same trajectory bit for bit.
  @Test func fullMaskEqualsPlainTraining() throws {
    let data = TrainingTests.blobs(count: 120, seed: 5)
    var plain = try Network<Float>(architecture: Self.architecture, seed: 7)
    var masked = plain
    let names: Set<String> = ["layers.0.weight", "layers.2.bias"]
    try plain.train(on: data, configuration: Self.configuration, trainableParameters: names)
    try masked.train(
      on: data, configuration: Self.configuration, trainableParameters: names,
      trainableEntries: ["layers.0.weight": Array(0..<24)])
    for name in plain.parameterNames {
      #expect(Self.bits(plain.parameters[name]!) == Self.bits(masked.parameters[name]!), "\(name)")
    }
  }

  @Test func rejectsBadEntries() throws {
    var network = try Network<Float>(architecture: Self.architecture, seed: 3)
    let data = TrainingTests.blobs(count: 30, seed: 1)
    #expect(throws: TrainingError.self) {
      try network.train(
        on: data, configuration: Self.configuration, trainableParameters: ["layers.1.bias"],
        trainableEntries: ["layers.1.weight": [0]])
    }
    #expect(throws: TrainingError.self) {
      try network.train(on: data, configuration: Self.configuration, trainableEntries: ["layers.1.bias": [6]])
    }
  }
}
