import Autodiff
import Tensors

/// How to train: optimizer, schedule, batches, penalties and the seed of the batch order.
public struct TrainingConfiguration: Codable, Sendable, Hashable {
  public var optimizer: OptimizerConfiguration
  public var epochs: Int
  /// Mini-batch size; nil trains full-batch (one step per epoch).
  public var batchSize: Int?
  /// L1 penalty lambda * sum |w| over weight matrices and kernels (biases and norms excluded).
  public var l1Penalty: Double
  /// Seeds the order of mini-batches.
  public var seed: UInt64
  /// Evaluate on the test set every this many epochs (and at the last epoch).
  public var evaluationInterval: Int
  /// Stop once the test accuracy reaches this value (checked at evaluations).
  public var targetTestAccuracy: Double?

  public init(
    optimizer: OptimizerConfiguration, epochs: Int, batchSize: Int? = nil, l1Penalty: Double = 0, seed: UInt64 = 0,
    evaluationInterval: Int = 1, targetTestAccuracy: Double? = nil
  ) {
    self.optimizer = optimizer
    self.epochs = epochs
    self.batchSize = batchSize
    self.l1Penalty = l1Penalty
    self.seed = seed
    self.evaluationInterval = evaluationInterval
    self.targetTestAccuracy = targetTestAccuracy
  }
}

/// One epoch's figures.
public struct TrainingRecord: Codable, Sendable, Equatable {
  public var epoch: Int
  /// Mean training loss over the epoch's batches (penalty included).
  public var loss: Double
  /// Accuracy on the training batches as they were seen during the epoch.
  public var trainAccuracy: Double
  /// Test accuracy, at evaluation epochs.
  public var testAccuracy: Double?
}

/// A training problem is invalid (sizes, labels, non-finite loss).
public enum TrainingError: Error, CustomStringConvertible {
  case invalid(String)
  case diverged(epoch: Int)

  public var description: String {
    switch self {
    case .invalid(let why): "cannot train: \(why)"
    case .diverged(let epoch): "training diverged at epoch \(epoch): the loss became NaN or infinite (lower the learning rate)"
    }
  }
}

extension Network {
  /// Whether a parameter is a weight matrix or kernel (what the L1 penalty and weight
  /// pruning act on), as opposed to a bias or a normalization gain.
  static func isWeightMatrix(_ spec: ParameterSpec) -> Bool {
    spec.isTrainable && spec.shape.count >= 2 && spec.name.hasSuffix(".weight")
  }

  /// Trains the network in place with cross-entropy (plus the L1 penalty) and returns the
  /// per-epoch records. `observe` is called after every epoch.
  ///
  /// - Parameters:
  ///   - trainableParameters: the parameters that may change (nil: every trainable one); the
  ///     others are constants of the forward pass and stay bit-for-bit unchanged.
  ///   - trainableEntries: for some of the trainable parameters, the row-major flat indices of
  ///     the entries that may change (a mask). Their other entries get no gradient and are put
  ///     back after every step, so momentum and weight decay leave them bit-for-bit unchanged too.
  @discardableResult
  public mutating func train(
    on train: LabeledData<Scalar>, test: LabeledData<Scalar>? = nil, configuration: TrainingConfiguration,
    trainableParameters: Set<String>? = nil, trainableEntries: [String: [Int]] = [:],
    observe: (TrainingRecord) -> Void = { _ in }
  ) throws -> [TrainingRecord] {
    guard train.count > 0 else { throw TrainingError.invalid("the training set is empty") }
    guard configuration.epochs > 0 else { throw TrainingError.invalid("epochs must be positive") }
    if let b = configuration.batchSize, b <= 0 { throw TrainingError.invalid("batch size must be positive") }
    guard train.inputs.isFinite else { throw TrainingError.invalid("the training inputs contain NaN or infinity") }
    guard train.labels.allSatisfy({ $0 >= 0 && $0 < train.classes }) else {
      throw TrainingError.invalid("labels must lie in 0..<\(train.classes)")
    }
    var optimizer = Optimizer<Scalar>(configuration.optimizer)
    var generator = SeededGenerator(seed: configuration.seed)
    let batchSize = Swift.min(configuration.batchSize ?? train.count, train.count)
    let specs = architecture.parameterSpecs
    let trainable = specs.filter { $0.isTrainable && (trainableParameters?.contains($0.name) ?? true) }.map(\.name)
    let penalized = Set(specs.filter { Network.isWeightMatrix($0) }.map(\.name))
    let masks = try EntryMasks<Scalar>(trainableEntries, parameters: parameters, trainable: Set(trainable))
    var records: [TrainingRecord] = []
    for epoch in 1...configuration.epochs {
      let order = batchSize == train.count ? Array(0..<train.count) : generator.permutation(train.count)
      var lossSum = 0.0
      var correct = 0
      var seen = 0
      var batches = 0
      var start = 0
      while start < order.count {
        let end = Swift.min(start + batchSize, order.count)
        let batch = batchSize == train.count ? train : train.subset(Array(order[start..<end]))
        start = end
        let variables = parameterVariables(trainable: Set(trainable))
        let result = try forward(Variable(batch.inputs), parameters: variables, options: ForwardOptions(training: true))
        let logits = result.output.reshaped([-1, train.classes])
        var loss = logits.crossEntropy(labels: batch.labels)
        if configuration.l1Penalty > 0 {
          for name in trainable where penalized.contains(name) {
            loss = loss + variables[name]!.abs().sum() * Scalar(configuration.l1Penalty)
          }
        }
        guard loss.value.scalar.isFinite else { throw TrainingError.diverged(epoch: epoch) }
        let gradients = loss.gradients(withRespectTo: trainable.map { variables[$0]! })
        let before = masks.isEmpty ? [:] : parameters
        optimizer.step(&parameters, gradients: masks.masking(Dictionary(uniqueKeysWithValues: zip(trainable, gradients))))
        masks.restoreFrozenEntries(&parameters, from: before)
        for (name, value) in result.updatedBuffers { parameters[name] = value }
        let predictions = logits.value.argmax(axis: 1)
        correct += zip(predictions, batch.labels).filter { $0 == $1 }.count
        seen += batch.labels.count
        lossSum += Double(loss.value.scalar)
        batches += 1
      }
      var record = TrainingRecord(epoch: epoch, loss: lossSum / Double(batches), trainAccuracy: Double(correct) / Double(seen))
      if let test, epoch % Swift.max(configuration.evaluationInterval, 1) == 0 || epoch == configuration.epochs {
        record.testAccuracy = try evaluate(test).accuracy
      }
      records.append(record)
      observe(record)
      if let target = configuration.targetTestAccuracy, let accuracy = record.testAccuracy, accuracy >= target { break }
    }
    return records
  }
}
