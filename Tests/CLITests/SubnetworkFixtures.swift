import Foundation
import Networks
import Recipes
import Tensors

@testable import Analyses
@testable import netatlas

/// A tiny residual MLP trained briefly on digits, and hand-written layers.json files, for the
/// `compress` and `finetune` command tests.
enum SubnetworkFixtures {
  /// Widths [64, 16, 16, 16, 16, 10]: hidden layer 0 maps 64 -> 16, hidden layers 1-3 are
  /// residual blocks; default sites layers.0.post, layers.1.out, layers.2.out, layers.3.out, logits.
  static let architecture = Architecture.mlp(MLPArchitecture(widths: [64, 16, 16, 16, 16, 10], residual: true))
  static let layers = ["layers.0.post", "layers.1.out", "layers.2.out", "layers.3.out", "logits"]

  static func folder(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("netatlas-\(name)-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static let training = TrainingConfiguration(optimizer: .adam(learningRate: 1e-2), epochs: 15, batchSize: 64, seed: 1)

  /// The tiny model trained for 15 epochs on digits (once per test process).
  static let trained: Network<Float> = {
    var network = try! Network<Float>(architecture: architecture, seed: 1)
    try! network.train(on: TrainingRecipe.digitsMLP.data().train, configuration: training)
    return network
  }()

  /// Writes the trained tiny model; returns the file and the network.
  static func residualModel(in folder: URL) throws -> (url: URL, network: Network<Float>) {
    let network = trained
    let url = folder.appendingPathComponent("residual.safetensors")
    try ModelFile.write(
      network, metadata: ModelMetadata(architecture: architecture, task: "digits-mlp", training: training), to: url)
    return (url, network)
  }

  /// A plain (non-residual) MLP model file on digits.
  static func plainModel(in folder: URL) throws -> URL {
    let network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [64, 16, 16, 10])), seed: 1)
    let url = folder.appendingPathComponent("plain.safetensors")
    try ModelFile.write(network, metadata: ModelMetadata(architecture: network.architecture, task: "digits-mlp"), to: url)
    return url
  }

  /// Writes a minimal layers.json (layer names and both groupings).
  static func layersFile(
    in folder: URL, layers: [String] = layers, contiguous: [[Int]] = [[0, 1, 2], [3, 4]],
    hierarchical: [[Int]] = [[0, 4], [1, 3], [2]], name: String = "layers.json"
  ) throws -> URL {
    let json: [String: Any] = [
      "layers": layers,
      "groups": ["contiguous": ["groups": contiguous], "hierarchical": ["groups": hierarchical]],
    ]
    let url = folder.appendingPathComponent(name)
    try JSONSerialization.data(withJSONObject: json).write(to: url)
    return url
  }

  static func readJSON(_ url: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
  }
}
