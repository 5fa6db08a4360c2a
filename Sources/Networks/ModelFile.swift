import Foundation
import TensorIO
import Tensors

/// What a model file records besides the weights.
public struct ModelMetadata: Codable, Sendable, Equatable {
  /// The file format version written by this library.
  public static let currentFormatVersion = 1

  public var formatVersion: Int
  public var architecture: Architecture
  /// The built-in task name ("digits-mlp", "modular-addition", ...) or a free label.
  public var task: String
  /// Final metrics: train/test accuracy, seconds, seed, ...
  public var metrics: [String: Double]
  /// The training configuration, when the model was trained by NetAtlas.
  public var training: TrainingConfiguration?

  public init(architecture: Architecture, task: String, metrics: [String: Double] = [:], training: TrainingConfiguration? = nil) {
    self.formatVersion = ModelMetadata.currentFormatVersion
    self.architecture = architecture
    self.task = task
    self.metrics = metrics
    self.training = training
  }
}

/// A model file that cannot be used.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
  public var path: String
  public var problem: String
  public var description: String { "\(path): \(problem)" }
}

/// A trained network as one .safetensors file: the parameters (F32, PyTorch names and
/// layouts) and string metadata `netatlas.architecture`, `netatlas.task`,
/// `netatlas.metrics` and `netatlas.training` holding JSON, plus `netatlas.format`.
/// Loading rebuilds the identical network: outputs are equal bit for bit.
public enum ModelFile {
  static let architectureKey = "netatlas.architecture"
  static let taskKey = "netatlas.task"
  static let metricsKey = "netatlas.metrics"
  static let trainingKey = "netatlas.training"
  static let formatKey = "netatlas.format"

  /// Writes `network` and `metadata` atomically to `url`.
  public static func write(_ network: Network<Float>, metadata: ModelMetadata, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    var strings = [
      formatKey: String(metadata.formatVersion),
      architectureKey: try json(metadata.architecture),
      taskKey: metadata.task,
      metricsKey: try json(metadata.metrics),
    ]
    if let training = metadata.training { strings[trainingKey] = try json(training) }
    let arrays = network.parameterNames.map { ($0, StoredArray(network.parameters[$0]!)) }
    try SafetensorsFile.write(arrays, metadata: strings, to: url)
  }

  /// Reads a model file, validating the metadata and every parameter's shape.
  public static func read(_ url: URL) throws -> (network: Network<Float>, metadata: ModelMetadata) {
    let file = try SafetensorsFile.read(url)
    func fail(_ problem: String) -> ModelFileError { ModelFileError(path: url.path, problem: problem) }
    guard let architectureJSON = file.metadata[architectureKey] else {
      throw fail(
        "no \"\(architectureKey)\" metadata: not a NetAtlas model file (use `netatlas train`, or export with scripts/export_pytorch.py)"
      )
    }
    let decoder = JSONDecoder()
    let architecture: Architecture
    do {
      architecture = try decoder.decode(Architecture.self, from: Data(architectureJSON.utf8))
    } catch {
      throw fail("malformed \"\(architectureKey)\" metadata: \(error)")
    }
    var metrics: [String: Double] = [:]
    if let m = file.metadata[metricsKey] {
      do { metrics = try decoder.decode([String: Double].self, from: Data(m.utf8)) } catch {
        throw fail("malformed \"\(metricsKey)\" metadata: \(error)")
      }
    }
    var training: TrainingConfiguration?
    if let t = file.metadata[trainingKey] {
      do { training = try decoder.decode(TrainingConfiguration.self, from: Data(t.utf8)) } catch {
        throw fail("malformed \"\(trainingKey)\" metadata: \(error)")
      }
    }
    var parameters: [String: Tensor<Float>] = [:]
    for spec in architecture.parameterSpecs {
      guard let array = file[spec.name] else { throw fail("parameter \"\(spec.name)\" is missing") }
      guard array.shape == spec.shape else {
        throw fail("parameter \"\(spec.name)\" has shape \(array.shape), the architecture needs \(spec.shape)")
      }
      guard array.dtype.isFloatingPoint else {
        throw fail("parameter \"\(spec.name)\" has dtype \(array.dtype), expected a float type")
      }
      let tensor = array.tensor(as: Float.self)
      guard tensor.isFinite else { throw fail("parameter \"\(spec.name)\" contains NaN or infinity") }
      parameters[spec.name] = tensor
    }
    let network: Network<Float>
    do {
      network = try Network(architecture: architecture, parameters: parameters)
    } catch {
      throw fail("\(error)")
    }
    var metadata = ModelMetadata(
      architecture: architecture, task: file.metadata[taskKey] ?? "unknown", metrics: metrics, training: training)
    metadata.formatVersion = Int(file.metadata[formatKey] ?? "") ?? ModelMetadata.currentFormatVersion
    return (network, metadata)
  }
}
