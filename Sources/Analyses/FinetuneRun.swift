import Datasets
import Foundation
import Networks
import Tensors

/// Settings of a fine-tuning run.
public struct FinetuneOptions: Codable {
  public var grouping: LayerGroupingChoice = .contiguous
  public var shift: TaskShift = .permutedLabels
  public var epochs: Int = 30
  /// Overrides the learning rate of the model's optimizer.
  public var learningRate: Double?
  /// Trained entries per variant; nil: the parameter count of the smallest group.
  public var budget: Int?
  /// Seeds the label permutation, the entry masks and the batch order.
  public var seed: UInt64 = 0
  /// Evaluate the shifted test split every this many epochs (nil: epochs / 30).
  public var evaluationInterval: Int?

  public init(
    grouping: LayerGroupingChoice = .contiguous, shift: TaskShift = .permutedLabels, epochs: Int = 30,
    learningRate: Double? = nil, budget: Int? = nil, seed: UInt64 = 0, evaluationInterval: Int? = nil
  ) {
    self.grouping = grouping
    self.shift = shift
    self.epochs = epochs
    self.learningRate = learningRate
    self.budget = budget
    self.seed = seed
    self.evaluationInterval = evaluationInterval
  }
}

/// One fine-tuned variant: a group (or the random control) and its trajectory.
public struct FinetuneVariant: Codable {
  /// "group 1", ..., or "random" (the same number of entries drawn from the whole network).
  public var name: String
  /// The group index (0-based); nil for the random control.
  public var group: Int?
  /// The group's layers.
  public var layers: [String]
  /// The parameters whose entries may change.
  public var parameters: [String]
  /// Entries of those parameters.
  public var availableEntries: Int
  /// Entries actually trained (the budget).
  public var trainedEntries: Int
  /// Per epoch: loss, running train accuracy and (at evaluations) shifted test accuracy.
  public var history: [TrainingRecord]
  public var shiftedTrain: SplitMetrics
  public var shiftedTest: SplitMetrics
  /// The original task's test metrics after fine-tuning (what was forgotten).
  public var originalTest: SplitMetrics
  public var seconds: Double
}

/// The contents of DIR/finetune.json.
public struct FinetuneOutput: Codable {
  public var model: String
  public var task: String
  public var architecture: String
  public var layersFile: String
  public var options: FinetuneOptions
  public var shiftDescription: String
  public var budgetRule: String
  /// Entries trained per variant.
  public var budget: Int
  public var trainingDescription: String
  public var layers: [String]
  public var groups: [[String]]
  /// The unmodified network on the shifted and the original test split.
  public var beforeShiftedTest: SplitMetrics
  public var beforeOriginalTest: SplitMetrics
  public var variants: [FinetuneVariant]
  public var seconds: Double
}

/// `netatlas finetune` as a function: trains one group at a time (all other parameters frozen)
/// on a shifted task, every group with the same number of trainable entries.
public enum FinetuneRun {
  public static let budgetRule =
    "Every variant trains the same number of parameter entries B (default: the parameter count of the smallest group). "
    + "A group owns the parameters the forward pass reads from the previous analysed layer up to its layers; a group with "
    + "more entries trains a seeded uniform random subset of B of them (the rest stay bit-for-bit fixed). The random control "
    + "trains B entries drawn from all trainable parameters. All variants use the same optimizer, epochs and batch order."

  /// `budget` entries drawn uniformly from the concatenated entries of `parameters` (nil when all
  /// are taken), as flat indices per parameter.
  public static func entries(budget: Int, of parameters: [(name: String, count: Int)], seed: UInt64) -> [String: [Int]]? {
    let total = parameters.reduce(0) { $0 + $1.count }
    guard budget < total else { return nil }
    var generator = SeededGenerator(seed: seed)
    var offsets: [Int] = []
    var running = 0
    for p in parameters {
      offsets.append(running)
      running += p.count
    }
    var result: [String: [Int]] = [:]
    for flat in generator.sample(budget, from: total).sorted() {
      var k = offsets.count - 1
      while offsets[k] > flat { k -= 1 }
      result[parameters[k].name, default: []].append(flat - offsets[k])
    }
    return result
  }

  /// Runs one fine-tune per group plus the random control.
  ///
  /// - Parameters:
  ///   - original: the data of the model's own task (for the forgetting figure).
  ///   - shifted: the same inputs with shifted labels.
  ///   - training: the model's training configuration; its optimizer and batch size are reused
  ///     (Adam, lr 1e-3, batches of 64 when nil).
  public static func run(
    network: Network<Float>, original: TaskData<Float>, shifted: TaskData<Float>, layers: LayerGroupsFile,
    options: FinetuneOptions, model: String, task: String, training: TrainingConfiguration? = nil,
    progress: @escaping (String) -> Void = { _ in }
  ) throws -> FinetuneOutput {
    let started = Date()
    guard options.epochs >= 1 else { throw AnalysisError("--epochs must be at least 1, got \(options.epochs)") }
    try layers.checkSites(of: network, model: model)
    let groups = try layers.groups(options.grouping)
    let trainable = Set(network.trainableParameterNames)
    let ownership = try network.parameterOwnership(of: layers.layers)
    let sizes = network.parameters.mapValues(\.count)
    let groupParameters = groups.map { members in members.flatMap { ownership[$0] }.filter(trainable.contains) }
    let groupEntries = groupParameters.map { $0.reduce(0) { $0 + sizes[$1]! } }
    guard let smallest = groupEntries.filter({ $0 > 0 }).min() else {
      throw AnalysisError("no group of \(layers.path) owns trainable parameters of \(model)")
    }
    let budget = options.budget ?? smallest
    guard budget >= 1, budget <= smallest else {
      throw AnalysisError("--budget must lie in 1...\(smallest) (the smallest group's parameter count), got \(budget)")
    }
    var configuration = CompressionRun.healingConfiguration(training, epochs: options.epochs, seed: options.seed)!
    if let lr = options.learningRate { configuration.optimizer = configuration.optimizer.withLearningRate(lr) }
    configuration.evaluationInterval = options.evaluationInterval ?? Swift.max(1, options.epochs / 30)

    var plans: [(name: String, group: Int?, layers: [String], parameters: [String])] = []
    for (g, members) in groups.enumerated() where groupEntries[g] > 0 {
      plans.append(("group \(g + 1)", g, members.map { layers.layers[$0] }, groupParameters[g]))
    }
    plans.append(("random", nil, [], network.trainableParameterNames))

    var variants: [FinetuneVariant] = []
    for (index, plan) in plans.enumerated() {
      let begun = Date()
      let counts = plan.parameters.map { (name: $0, count: sizes[$0]!) }
      let mask = entries(budget: budget, of: counts, seed: options.seed &+ UInt64(index) &+ 1)
      var tuned = network
      let label = plan.name
      let history = try tuned.train(
        on: shifted.train, test: shifted.test, configuration: configuration,
        trainableParameters: Set(mask.map { Array($0.keys) } ?? plan.parameters), trainableEntries: mask ?? [:],
        observe: Console.trainingProgress(label: label, epochs: options.epochs, interval: configuration.evaluationInterval))
      Console.finishProgress()
      let variant = FinetuneVariant(
        name: plan.name, group: plan.group, layers: plan.layers, parameters: plan.parameters,
        availableEntries: counts.reduce(0) { $0 + $1.count }, trainedEntries: budget, history: history,
        shiftedTrain: SplitMetrics(try tuned.evaluate(shifted.train)),
        shiftedTest: SplitMetrics(try tuned.evaluate(shifted.test)),
        originalTest: SplitMetrics(try tuned.evaluate(original.test)), seconds: Date().timeIntervalSince(begun))
      variants.append(variant)
      progress(
        String(
          format: "%@: %d of %d entries trained, shifted test accuracy %.4f, original task %.4f", plan.name, budget,
          variant.availableEntries, variant.shiftedTest.accuracy, variant.originalTest.accuracy))
    }
    return FinetuneOutput(
      model: model, task: task, architecture: network.architecture.summary, layersFile: layers.path, options: options,
      shiftDescription: options.shift.summary, budgetRule: budgetRule, budget: budget,
      trainingDescription: CompressionRun.describe(configuration).replacingOccurrences(
        of: "all remaining parameters trained", with: "only the variant's entries trained"),
      layers: layers.layers, groups: groups.map { $0.map { layers.layers[$0] } },
      beforeShiftedTest: SplitMetrics(try network.evaluate(shifted.test)),
      beforeOriginalTest: SplitMetrics(try network.evaluate(original.test)), variants: variants,
      seconds: Date().timeIntervalSince(started))
  }
}

extension OptimizerConfiguration {
  /// The same optimizer with another learning rate.
  public func withLearningRate(_ lr: Double) -> OptimizerConfiguration {
    switch self {
    case .sgd(_, let momentum, let wd): .sgd(learningRate: lr, momentum: momentum, weightDecay: wd)
    case .adam(_, let b1, let b2, let eps, let wd): .adam(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
    case .adamW(_, let b1, let b2, let eps, let wd):
      .adamW(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
    }
  }
}
