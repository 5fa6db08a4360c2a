import Foundation
import TensorIO
import Tensors
import Testing

@testable import Networks

@Suite struct ModelFileTests {
  @Test(arguments: Examples.all.map(\.0))
  func loadingRebuildsTheIdenticalNetwork(name: String) throws {
    let architecture = Examples.all.first { $0.0 == name }!.1
    let network = try Network<Float>(architecture: architecture, seed: 12)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    let metadata = ModelMetadata(
      architecture: architecture, task: "example", metrics: ["test_accuracy": 0.5],
      training: TrainingConfiguration(optimizer: .adamW(learningRate: 1e-3, weightDecay: 1), epochs: 3))
    try ModelFile.write(network, metadata: metadata, to: url)
    let (loaded, loadedMetadata) = try ModelFile.read(url)
    #expect(loadedMetadata == metadata)
    #expect(loaded.parameters == network.parameters)
    let x = Examples.input(for: architecture, batch: 5, seed: 3) as Tensor<Float>
    #expect(try loaded(x) == network(x))
    #expect(loaded.sites == network.sites)
  }

  @Test func nonFiniteParametersAreRejected() throws {
    var network = try Network<Float>(architecture: Examples.mlp, seed: 1)
    network.parameters["layers.0.bias"]![flat: 1] = .nan
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nan-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try ModelFile.write(network, metadata: ModelMetadata(architecture: network.architecture, task: "x"), to: url)
    #expect(throws: ModelFileError.self) { try ModelFile.read(url) }
  }
}
