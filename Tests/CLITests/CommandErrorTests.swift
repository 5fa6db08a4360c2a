import Foundation
import Networks
import TensorIO
import Tensors
import Testing

@testable import Analyses
@testable import netatlas

/// Bad input on the command line: one clear message and exit status 2, never a crash.
@Suite struct CommandErrorTests {
  let folder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("netatlas-cli-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }()

  func expectUserError(_ arguments: [String], mentions words: [String]) {
    let (status, message) = NetAtlasCommand.execute(arguments)
    #expect(status == 2, "\(arguments)")
    for word in words { #expect(message?.contains(word) == true, "\(arguments): \(message ?? "nil") lacks \(word)") }
  }

  @Test func unknownTask() {
    expectUserError(["train", "nonsense", "--out", folder.path], mentions: ["nonsense"])
  }

  @Test func impossibleOptions() {
    expectUserError(["train", "digits-mlp", "--out", folder.path, "--epochs", "0"], mentions: ["epochs"])
    expectUserError(["train", "digits-cnn", "--out", folder.path, "--arch", "64,64"], mentions: ["MLP"])
    expectUserError(["train", "digits-mlp", "--out", folder.path, "--arch", "64,-3"], mentions: ["--arch"])
  }

  @Test func missingModelFile() {
    expectUserError(["inspect", folder.appendingPathComponent("missing.safetensors").path], mentions: ["missing.safetensors"])
    expectUserError(["evaluate", folder.appendingPathComponent("missing.safetensors").path], mentions: ["missing.safetensors"])
  }

  @Test func corruptModelFile() throws {
    let url = folder.appendingPathComponent("corrupt.safetensors")
    try Data([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).write(to: url)
    expectUserError(["inspect", url.path], mentions: ["corrupt.safetensors"])
  }

  @Test func modelWithoutArchitectureMetadata() throws {
    let url = folder.appendingPathComponent("plain.safetensors")
    try SafetensorsFile.write([("w", StoredArray(Tensor<Float>.zeros([2, 2])))], metadata: [:], to: url)
    expectUserError(["inspect", url.path], mentions: ["plain.safetensors", "netatlas.architecture"])
  }

  @Test func malformedArchitectureMetadata() throws {
    let url = folder.appendingPathComponent("malformed.safetensors")
    try SafetensorsFile.write(
      [("w", StoredArray(Tensor<Float>.zeros([2, 2])))], metadata: ["netatlas.architecture": "{\"mlp\": 3"], to: url)
    expectUserError(["inspect", url.path], mentions: ["malformed.safetensors", "malformed"])
  }

  @Test func shapeMismatchBetweenMetadataAndTensors() throws {
    let network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [4, 3, 2])), seed: 1)
    let good = folder.appendingPathComponent("good.safetensors")
    try ModelFile.write(network, metadata: ModelMetadata(architecture: network.architecture, task: "digits-mlp"), to: good)
    let file = try SafetensorsFile.read(good)
    var arrays = file.names.map { ($0, file[$0]!) }
    arrays[0] = (arrays[0].0, StoredArray(Tensor<Float>.zeros([5, 4])))
    let bad = folder.appendingPathComponent("bad-shape.safetensors")
    try SafetensorsFile.write(arrays, metadata: file.metadata, to: bad)
    expectUserError(["inspect", bad.path], mentions: ["bad-shape.safetensors", "layers.0.weight", "[5, 4]"])
    #expect(NetAtlasCommand.execute(["inspect", good.path]).status == 0)
  }
}
