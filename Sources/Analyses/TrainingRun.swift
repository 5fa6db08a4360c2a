import Datasets
import Foundation
import Networks
import Recipes
import TensorIO
import Tensors

/// Figures written to metrics.json.
public struct RunMetrics: Codable {
  public var task: String
  public var trainAccuracy: Double
  public var testAccuracy: Double
  public var trainLoss: Double
  public var testLoss: Double
  public var perClassTestAccuracy: [Double]
  public var seconds: Double
  public var seed: UInt64
  public var epochs: Int
  public var architecture: String
  public var parameterCount: Int

  public enum CodingKeys: String, CodingKey {
    case task, seconds, seed, epochs, architecture
    case trainAccuracy = "train_accuracy"
    case testAccuracy = "test_accuracy"
    case trainLoss = "train_loss"
    case testLoss = "test_loss"
    case perClassTestAccuracy = "per_class_test_accuracy"
    case parameterCount = "parameter_count"
  }

  public init(
    task: String, trainAccuracy: Double, testAccuracy: Double, trainLoss: Double, testLoss: Double,
    perClassTestAccuracy: [Double], seconds: Double, seed: UInt64, epochs: Int, architecture: String, parameterCount: Int
  ) {
    self.task = task
    self.trainAccuracy = trainAccuracy
    self.testAccuracy = testAccuracy
    self.trainLoss = trainLoss
    self.testLoss = testLoss
    self.perClassTestAccuracy = perClassTestAccuracy
    self.seconds = seconds
    self.seed = seed
    self.epochs = epochs
    self.architecture = architecture
    self.parameterCount = parameterCount
  }
}

/// One training of a built-in recipe, shared by `train` and `demo`.
public struct TrainingRun {
  public var recipe: TrainingRecipe
  public var network: Network<Float>
  public var metadata: ModelMetadata
  public var history: [TrainingRecord]
  public var metrics: RunMetrics
  public var data: TaskData<Float>

  public static func parseWidths(_ text: String?) throws -> [Int]? {
    guard let text else { return nil }
    let widths = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !widths.isEmpty, widths.allSatisfy({ ($0 ?? 0) > 0 }) else {
      throw AnalysisError("--arch must be positive comma-separated widths, got \"\(text)\"")
    }
    return widths.map { $0! }
  }

  public static func run(
    recipe: TrainingRecipe, seed: UInt64, epochs: Int? = nil, hiddenWidths: [Int]? = nil, cacheDirectory: URL? = nil,
    label: String? = nil
  ) throws -> TrainingRun {
    let data = try recipe.data(cacheDirectory: cacheDirectory)
    var architecture = recipe.architecture(for: data)
    if let hiddenWidths {
      guard case .mlp(var mlp) = architecture else {
        throw AnalysisError("--arch sets hidden widths and applies to MLP tasks only; \(recipe.rawValue) is not an MLP")
      }
      mlp.widths = [mlp.widths.first!] + hiddenWidths + [mlp.widths.last!]
      architecture = .mlp(mlp)
    }
    var configuration = recipe.training(seed: seed)
    if let epochs { configuration.epochs = epochs }
    var network = try Network<Float>(architecture: architecture, seed: seed)
    let start = Date()
    let interval = max(configuration.evaluationInterval, configuration.epochs / 20, 1)
    let history = try network.train(
      on: data.train, test: data.test, configuration: configuration,
      observe: Console.trainingProgress(label: label ?? recipe.rawValue, epochs: configuration.epochs, interval: interval))
    Console.finishProgress()
    let seconds = Date().timeIntervalSince(start)
    let trainMetrics = try network.evaluate(data.train)
    let testMetrics = try network.evaluate(data.test)
    let metrics = RunMetrics(
      task: recipe.rawValue, trainAccuracy: trainMetrics.accuracy, testAccuracy: testMetrics.accuracy,
      trainLoss: trainMetrics.loss, testLoss: testMetrics.loss, perClassTestAccuracy: testMetrics.perClassAccuracy,
      seconds: seconds, seed: seed, epochs: history.count, architecture: architecture.summary,
      parameterCount: network.parameters.values.reduce(0) { $0 + $1.count })
    let metadata = ModelMetadata(
      architecture: architecture, task: recipe.rawValue,
      metrics: [
        "train_accuracy": metrics.trainAccuracy, "test_accuracy": metrics.testAccuracy, "seconds": seconds,
        "seed": Double(seed), "epochs": Double(history.count),
      ], training: configuration)
    return TrainingRun(recipe: recipe, network: network, metadata: metadata, history: history, metrics: metrics, data: data)
  }

  /// Writes model.safetensors, metrics.json and history.json (per-epoch records) into `folder`.
  public func write(to folder: URL) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try ModelFile.write(network, metadata: metadata, to: folder.appendingPathComponent("model.safetensors"))
    try JSONOutput.write(metrics, to: folder.appendingPathComponent("metrics.json"))
    try JSONOutput.write(history, to: folder.appendingPathComponent("history.json"))
  }

  /// Loads a run written by ``write(to:)`` (a checkpoint) and re-evaluates it on its data, so
  /// the reported accuracies are measured now, not copied from the file.
  public static func load(recipe: TrainingRecipe, from folder: URL, cacheDirectory: URL? = nil) throws -> TrainingRun {
    let (network, metadata) = try ModelFile.read(folder.appendingPathComponent("model.safetensors"))
    guard metadata.task == recipe.rawValue else {
      throw AnalysisError("\(folder.path) holds a \(metadata.task) model, not \(recipe.rawValue)")
    }
    let data = try recipe.data(cacheDirectory: cacheDirectory)
    var history: [TrainingRecord] = []
    let historyURL = folder.appendingPathComponent("history.json")
    if FileManager.default.fileExists(atPath: historyURL.path) {
      do {
        history = try JSONDecoder().decode([TrainingRecord].self, from: Data(contentsOf: historyURL))
      } catch {
        throw AnalysisError("\(historyURL.path): cannot read the training history: \(error)")
      }
    }
    let train = try network.evaluate(data.train)
    let test = try network.evaluate(data.test)
    let metrics = RunMetrics(
      task: recipe.rawValue, trainAccuracy: train.accuracy, testAccuracy: test.accuracy, trainLoss: train.loss,
      testLoss: test.loss, perClassTestAccuracy: test.perClassAccuracy, seconds: metadata.metrics["seconds"] ?? 0,
      seed: UInt64(metadata.metrics["seed"] ?? 0), epochs: Int(metadata.metrics["epochs"] ?? 0),
      architecture: network.architecture.summary, parameterCount: network.parameters.values.reduce(0) { $0 + $1.count })
    return TrainingRun(recipe: recipe, network: network, metadata: metadata, history: history, metrics: metrics, data: data)
  }
}

/// Pretty, sorted JSON written atomically.
public enum JSONOutput {
  public static func encode<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try encoder.encode(value)
  }

  public static func write<T: Encodable>(_ value: T, to url: URL) throws {
    try AtomicWrite.write(try encode(value), to: url)
  }
}
