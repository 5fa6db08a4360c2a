import Foundation
import Networks
import Tensors

/// Loss and accuracy on one split.
public struct SplitMetrics: Codable, Equatable {
  public var accuracy: Double
  public var loss: Double

  public init(accuracy: Double, loss: Double) {
    self.accuracy = accuracy
    self.loss = loss
  }

  public init(_ metrics: EvaluationMetrics) {
    self.init(accuracy: metrics.accuracy, loss: metrics.loss)
  }
}

/// Settings of a compression run.
public struct CompressionOptions: Codable {
  /// Which grouping of layers.json decides the removals.
  public var grouping: LayerGroupingChoice = .contiguous
  /// How many random removals of the same number of blocks (seeds `seed`, `seed + 1`, ...).
  public var randomSeeds: Int = 5
  /// Epochs of healing fine-tune of every variant (0: none).
  public var healEpochs: Int = 0
  /// The first seed of the random removals and the batch-order seed of healing.
  public var seed: UInt64 = 0
  /// Overrides the learning rate of the model's optimizer for healing.
  public var learningRate: Double?

  public init(
    grouping: LayerGroupingChoice = .contiguous, randomSeeds: Int = 5, healEpochs: Int = 0, seed: UInt64 = 0,
    learningRate: Double? = nil
  ) {
    self.grouping = grouping
    self.randomSeeds = randomSeeds
    self.healEpochs = healEpochs
    self.seed = seed
    self.learningRate = learningRate
  }
}

/// One compressed network: which blocks were removed and how it does on the test split.
public struct CompressionVariant: Codable {
  /// Which rule chose the removed blocks.
  public enum Rule: String, Codable, CaseIterable {
    /// Nothing removed.
    case original
    /// Every block inside a group except the group's first layer.
    case groups
    /// The same number of blocks drawn at random from the analysed blocks.
    case random
    /// The same number of blocks, the last analysed ones.
    case end
  }

  public var rule: Rule
  /// The seed of a random draw.
  public var seed: UInt64?
  /// Residual block numbers removed (hidden layer k of an MLP, block b of a transformer).
  public var removedBlocks: [Int]
  /// Their output sites.
  public var removedLayers: [String]
  /// Parameters left in the network.
  public var parameterCount: Int
  /// Test metrics right after the removal.
  public var test: SplitMetrics
  /// Test metrics after the healing fine-tune (nil without healing).
  public var healed: SplitMetrics?
}

/// Mean and sample standard deviation of a rule's variants.
public struct CompressionSummary: Codable {
  public var rule: CompressionVariant.Rule
  public var variants: Int
  public var accuracyMean: Double
  public var accuracySD: Double
  public var lossMean: Double
  public var lossSD: Double
  public var healedAccuracyMean: Double?
  public var healedAccuracySD: Double?
  public var healedLossMean: Double?
  public var healedLossSD: Double?
}

/// A residual block of the model and where it appears in layers.json.
public struct CompressionBlock: Codable {
  public var index: Int
  public var outputSite: String
  /// Index of the output site in layers.json (nil when not analysed).
  public var layer: Int?
  /// The group (0-based) of that layer.
  public var group: Int?
}

/// The network with one block removed.
public struct SingleRemoval: Codable {
  public var block: Int
  public var layer: String
  public var test: SplitMetrics
}

/// The contents of DIR/compress.json.
public struct CompressionOutput: Codable {
  public var model: String
  public var task: String
  public var architecture: String
  public var layersFile: String
  public var options: CompressionOptions
  /// How the groups decide removals.
  public var ruleDescription: String
  /// How healing trains (nil without healing).
  public var healingDescription: String?
  public var layers: [String]
  /// The groups of layers (names), in layer order.
  public var groups: [[String]]
  public var blocks: [CompressionBlock]
  /// How many blocks every rule removes.
  public var removedCount: Int
  public var variants: [CompressionVariant]
  public var summaries: [CompressionSummary]
  /// Test metrics with one analysed block removed at a time (no healing), in block order.
  public var singleRemovals: [SingleRemoval]
  public var seconds: Double
}

/// `netatlas compress` as a function: plans the removals, builds and evaluates each compressed
/// network and optionally heals it.
public enum CompressionRun {
  public static let ruleDescription =
    "A layer of layers.json is removable when it is the output site of a residual block (layers.k.out of a residual MLP, "
    + "blocks.b.resid_post of a transformer); removing it means the residual stream skips that block. In each group the "
    + "first layer is kept and every other removable layer is removed. The random rule draws the same number of blocks "
    + "uniformly from the removable layers of layers.json (one draw per seed); the end rule removes the last ones."

  /// The blocks the group rule removes: in each group, every layer after the first that is a
  /// block output (`blockOfLayer` maps layer index -> block number).
  public static func groupRemovals(groups: [[Int]], blockOfLayer: [Int: Int]) -> [Int] {
    groups.flatMap { group in group.dropFirst().compactMap { blockOfLayer[$0] } }.sorted()
  }

  /// `count` blocks drawn uniformly without replacement from `candidates` with `seed`.
  public static func randomRemovals(count: Int, candidates: [Int], seed: UInt64) -> [Int] {
    var generator = SeededGenerator(seed: seed)
    return generator.sample(count, from: candidates.count).map { candidates[$0] }.sorted()
  }

  /// Runs every rule on `network`.
  ///
  /// - Parameters:
  ///   - network: a trained network with residual blocks.
  ///   - train: the training split (healing).
  ///   - test: the test split (evaluation).
  ///   - layers: the layer groups; every layer must be a site of `network`.
  ///   - training: the model's training configuration; healing reuses its optimizer and batch
  ///     size (Adam, lr 1e-3, batches of 64 when nil).
  ///   - progress: called with a line per finished variant.
  public static func run(
    network: Network<Float>, train: LabeledData<Float>, test: LabeledData<Float>, layers: LayerGroupsFile,
    options: CompressionOptions, model: String, task: String, training: TrainingConfiguration? = nil,
    progress: (String) -> Void = { _ in }
  ) throws -> CompressionOutput {
    let started = Date()
    guard options.randomSeeds >= 1 else { throw AnalysisError("--random-seeds must be at least 1, got \(options.randomSeeds)") }
    guard options.healEpochs >= 0 else { throw AnalysisError("--heal-epochs must be >= 0, got \(options.healEpochs)") }
    let residual = network.architecture.residualBlocks
    guard !residual.isEmpty else {
      throw AnalysisError(
        "\(model) (\(network.architecture.summary)) has no residual blocks; compress removes blocks of a residual MLP or a transformer"
      )
    }
    try layers.checkSites(of: network, model: model)
    let groups = try layers.groups(options.grouping)
    var groupOfLayer: [Int: Int] = [:]
    for (g, members) in groups.enumerated() { for l in members { groupOfLayer[l] = g } }
    let blocks = residual.map { block -> CompressionBlock in
      let layer = layers.layers.firstIndex(of: block.outputSite)
      return CompressionBlock(
        index: block.index, outputSite: block.outputSite, layer: layer, group: layer.flatMap { groupOfLayer[$0] })
    }
    var blockOfLayer: [Int: Int] = [:]
    for block in blocks { if let layer = block.layer { blockOfLayer[layer] = block.index } }
    let candidates = blocks.filter { $0.layer != nil }.map(\.index)
    guard !candidates.isEmpty else {
      throw AnalysisError(
        "no layer of \(layers.path) is the output of a residual block of \(model); removable layers are \(residual.map(\.outputSite).joined(separator: ", "))"
      )
    }
    let byGroups = groupRemovals(groups: groups, blockOfLayer: blockOfLayer)
    let count = byGroups.count

    var plans: [(CompressionVariant.Rule, UInt64?, [Int])] = [(.original, nil, []), (.groups, nil, byGroups)]
    for s in 0..<options.randomSeeds {
      let seed = options.seed &+ UInt64(s)
      plans.append((.random, seed, randomRemovals(count: count, candidates: candidates, seed: seed)))
    }
    plans.append((.end, nil, Array(candidates.suffix(count))))

    var healing = healingConfiguration(training, epochs: options.healEpochs, seed: options.seed)
    if let lr = options.learningRate, let optimizer = healing?.optimizer { healing?.optimizer = optimizer.withLearningRate(lr) }
    let outputSites = Dictionary(uniqueKeysWithValues: blocks.map { ($0.index, $0.outputSite) })
    var variants: [CompressionVariant] = []
    for (rule, seed, removed) in plans {
      var compressed = try network.removingBlocks(Set(removed))
      var variant = CompressionVariant(
        rule: rule, seed: seed, removedBlocks: removed, removedLayers: removed.map { outputSites[$0]! },
        parameterCount: compressed.parameters.values.reduce(0) { $0 + $1.count },
        test: SplitMetrics(try compressed.evaluate(test)))
      if let healing {
        try compressed.train(on: train, configuration: healing)
        variant.healed = SplitMetrics(try compressed.evaluate(test))
      }
      variants.append(variant)
      progress(
        String(
          format: "%@%@: removed [%@], test accuracy %.4f%@", rule.rawValue, seed.map { " seed \($0)" } ?? "",
          removed.map(String.init).joined(separator: ", "), variant.test.accuracy,
          variant.healed.map { String(format: ", healed %.4f", $0.accuracy) } ?? ""))
    }
    let singles = try candidates.map { block in
      SingleRemoval(
        block: block, layer: outputSites[block]!, test: SplitMetrics(try network.removingBlocks([block]).evaluate(test)))
    }
    return CompressionOutput(
      model: model, task: task, architecture: network.architecture.summary, layersFile: layers.path, options: options,
      ruleDescription: ruleDescription, healingDescription: healing.map(describe), layers: layers.layers,
      groups: groups.map { $0.map { layers.layers[$0] } }, blocks: blocks, removedCount: count, variants: variants,
      summaries: CompressionVariant.Rule.allCases.compactMap { rule in summarize(rule, variants.filter { $0.rule == rule }) },
      singleRemovals: singles,
      seconds: Date().timeIntervalSince(started))
  }

  /// The healing schedule: the model's optimizer and batch size (Adam lr 1e-3, batches of 64 when
  /// unknown) for `epochs` epochs; nil for `epochs == 0`.
  public static func healingConfiguration(_ training: TrainingConfiguration?, epochs: Int, seed: UInt64) -> TrainingConfiguration?
  {
    guard epochs > 0 else { return nil }
    return TrainingConfiguration(
      optimizer: training?.optimizer ?? .adam(learningRate: 1e-3), epochs: epochs,
      batchSize: training == nil ? 64 : training!.batchSize, l1Penalty: training?.l1Penalty ?? 0, seed: seed,
      evaluationInterval: epochs)
  }

  public static func describe(_ configuration: TrainingConfiguration) -> String {
    let optimizer: String
    switch configuration.optimizer {
    case .sgd(let lr, let momentum, let wd): optimizer = "SGD lr \(lr), momentum \(momentum), weight decay \(wd)"
    case .adam(let lr, _, _, _, let wd): optimizer = "Adam lr \(lr), weight decay \(wd)"
    case .adamW(let lr, let b1, let b2, _, let wd): optimizer = "AdamW lr \(lr), betas (\(b1), \(b2)), weight decay \(wd)"
    }
    let batches = configuration.batchSize.map { "batches of \($0)" } ?? "full batch"
    return "\(configuration.epochs) epochs of \(optimizer), \(batches), all remaining parameters trained"
  }

  /// Mean and sample standard deviation (n - 1; 0 for one variant) of a rule's metrics.
  public static func summarize(_ rule: CompressionVariant.Rule, _ variants: [CompressionVariant]) -> CompressionSummary? {
    guard !variants.isEmpty else { return nil }
    let accuracy = meanAndSD(variants.map(\.test.accuracy))
    let loss = meanAndSD(variants.map(\.test.loss))
    let healed = variants.compactMap(\.healed)
    let healedAccuracy = healed.count == variants.count ? meanAndSD(healed.map(\.accuracy)) : nil
    let healedLoss = healed.count == variants.count ? meanAndSD(healed.map(\.loss)) : nil
    return CompressionSummary(
      rule: rule, variants: variants.count, accuracyMean: accuracy.mean, accuracySD: accuracy.sd, lossMean: loss.mean,
      lossSD: loss.sd, healedAccuracyMean: healedAccuracy?.mean, healedAccuracySD: healedAccuracy?.sd,
      healedLossMean: healedLoss?.mean, healedLossSD: healedLoss?.sd)
  }

  public static func meanAndSD(_ values: [Double]) -> (mean: Double, sd: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    guard values.count > 1 else { return (mean, 0) }
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    return (mean, variance.squareRoot())
  }
}
