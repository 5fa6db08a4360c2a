import Datasets
import Foundation
import Networks
import Tensors

/// The built-in models: a task, an architecture and a training schedule each, so that
/// `netatlas train NAME` reproduces the same network from the same seed.
public enum TrainingRecipe: String, CaseIterable, Codable, Sendable {
  case digitsMLP = "digits-mlp"
  case digitsCNN = "digits-cnn"
  case mnistMLP = "mnist-mlp"
  case mnistCNN = "mnist-cnn"
  /// The 1-layer transformer of the LIB paper (d_model 128, 4 heads, d_mlp 512, no LayerNorm).
  case modularAddition = "modular-addition"
  /// A deep residual MLP (8 hidden layers of 128) on one-hot (a, b) pairs, trained on 80% of the
  /// pairs: from the task's 30% its test accuracy stayed at chance through 900 full-batch epochs
  /// and 6,000 mini-batch steps (docs/subnetworks.md).
  case modularAdditionMLP = "modular-addition-mlp"
  case plantedModulesMLP = "planted-modules-mlp"
  /// A character-level causal transformer language model on the Lee news corpus: 4 pre-LayerNorm
  /// blocks, d_model 64, 4 heads, d_mlp 256, ReLU, context 64, next-character logits at every position.
  case leeLM = "lee-lm"

  /// The dataset the recipe trains on.
  public var task: BuiltInTask {
    switch self {
    case .digitsMLP, .digitsCNN: .digits
    case .mnistMLP, .mnistCNN: .mnist
    case .modularAddition, .modularAdditionMLP: .modularAddition
    case .plantedModulesMLP: .plantedModules
    case .leeLM: .leeCorpus
    }
  }

  /// The fraction of the modular-addition pairs the MLP trains on.
  public static let modularAdditionMLPTrainFraction = 0.8

  /// A one-line description of the recipe's data.
  public var summary: String {
    switch self {
    case .modularAdditionMLP:
      "modular addition mod 113 on one-hot operands [onehot(a), onehot(b)]; 80% of the 12,769 pairs for training"
    default: task.summary
    }
  }

  /// Loads the task's data in the layout the architecture consumes.
  public func data(seed: UInt64 = BuiltInTask.defaultSeed, cacheDirectory: URL? = nil) throws -> TaskData<Float> {
    if self == .modularAdditionMLP {
      let tokens: TaskData<Float> = try ModularAdditionTask(trainFraction: Self.modularAdditionMLPTrainFraction, seed: seed)
        .load()
      return tokens.oneHotOperands()
    }
    let data: TaskData<Float> = try task.load(seed: seed, cacheDirectory: cacheDirectory)
    switch self {
    case .digitsMLP, .mnistMLP, .plantedModulesMLP: return data.flattened()
    default: return data
    }
  }

  /// The architecture for the data's shapes.
  public func architecture(for data: TaskData<Float>) -> Architecture {
    let classes = data.classes
    switch self {
    case .digitsMLP:
      return .mlp(MLPArchitecture(widths: [data.featureCount, 128, 128, classes]))
    case .mnistMLP:
      return .mlp(MLPArchitecture(widths: [data.featureCount, 256, 256, 256, 256, classes]))
    case .plantedModulesMLP:
      return .mlp(MLPArchitecture(widths: [data.featureCount, 64, 64, classes]))
    case .digitsCNN:
      return .cnn(
        CNNArchitecture(
          inputShape: data.inputShape,
          convolutions: [
            .init(channels: 16, kernelSize: 3, padding: 1, pooling: .init(kind: .max, size: 2)),
            .init(channels: 32, kernelSize: 3, padding: 1, pooling: .init(kind: .max, size: 2)),
          ],
          denseWidths: [64, classes]))
    case .mnistCNN:
      return .cnn(
        CNNArchitecture(
          inputShape: data.inputShape,
          convolutions: [
            .init(channels: 8, kernelSize: 5, padding: 2, batchNorm: true, pooling: .init(kind: .max, size: 2)),
            .init(channels: 16, kernelSize: 5, padding: 2, batchNorm: true, pooling: .init(kind: .max, size: 2)),
          ],
          denseWidths: [64, classes]))
    case .modularAddition:
      return .transformer(
        TransformerArchitecture(
          vocabularySize: classes + 1, contextLength: 3, modelWidth: 128, heads: 4, mlpWidth: 512, blocks: 1,
          layerNorm: false, causal: true, activation: .relu, head: .lastPosition, classes: classes))
    case .modularAdditionMLP:
      return .mlp(MLPArchitecture(widths: [data.featureCount] + Array(repeating: 128, count: 8) + [classes], residual: true))
    case .leeLM:
      return .transformer(
        TransformerArchitecture(
          vocabularySize: classes, contextLength: data.inputShape[0], modelWidth: 64, heads: 4, mlpWidth: 256, blocks: 4,
          layerNorm: true, causal: true, activation: .relu, head: .languageModel))
    }
  }

  /// The default training schedule (epochs can be overridden on the command line).
  public func training(seed: UInt64) -> TrainingConfiguration {
    switch self {
    case .digitsMLP:
      TrainingConfiguration(optimizer: .adam(learningRate: 1e-3), epochs: 40, batchSize: 32, seed: seed, evaluationInterval: 5)
    case .digitsCNN:
      TrainingConfiguration(optimizer: .adam(learningRate: 2e-3), epochs: 30, batchSize: 32, seed: seed, evaluationInterval: 5)
    case .mnistMLP:
      TrainingConfiguration(optimizer: .adam(learningRate: 1e-3), epochs: 20, batchSize: 64, seed: seed, evaluationInterval: 5)
    case .mnistCNN:
      TrainingConfiguration(optimizer: .adam(learningRate: 2e-3), epochs: 8, batchSize: 64, seed: seed, evaluationInterval: 2)
    case .plantedModulesMLP:
      // Decoupled weight decay prunes the cross-part weights the task never needs, which is what
      // makes the planted parts visible in the weight graph (docs/modules.md: hidden-unit ARI 0.81
      // against 0.71 without it, k = 4, seeds 0-2; accuracy unchanged).
      TrainingConfiguration(
        optimizer: .adamW(learningRate: 1e-3, weightDecay: 0.1), epochs: 30, batchSize: 64, seed: seed, evaluationInterval: 5)
    case .modularAddition:
      // The LIB paper's setup: AdamW lr 1e-3, weight decay 1, betas (0.9, 0.98), full batch;
      // stops once the test accuracy reaches 0.995 (grokking).
      TrainingConfiguration(
        optimizer: .adamW(learningRate: 1e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1), epochs: 20_000, batchSize: nil,
        seed: seed, evaluationInterval: 100, targetTestAccuracy: 0.995)
    case .modularAdditionMLP:
      // Mini-batches of 256 (40 steps per epoch) reach the generalizing solution in about 60 epochs.
      TrainingConfiguration(
        optimizer: .adamW(learningRate: 1e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1), epochs: 300, batchSize: 256,
        seed: seed, evaluationInterval: 10, targetTestAccuracy: 0.995)
    case .leeLM:
      TrainingConfiguration(
        optimizer: .adamW(learningRate: 3e-3, beta1: 0.9, beta2: 0.99, weightDecay: 0.01), epochs: 15, batchSize: 16,
        seed: seed, evaluationInterval: 1)
    }
  }
}

extension TaskData where Scalar == Float {
  /// Token inputs `[N, 3]` (a, b, =) as concatenated one-hot vectors of a and b `[N, 2p]`.
  func oneHotOperands() -> TaskData {
    let p = classes
    func encode(_ data: LabeledData<Float>) -> LabeledData<Float> {
      var values = [Float](repeating: 0, count: data.count * 2 * p)
      for i in 0..<data.count {
        values[i * 2 * p + Int(data.inputs[i, 0])] = 1
        values[i * 2 * p + p + Int(data.inputs[i, 1])] = 1
      }
      return LabeledData(inputs: Tensor(shape: [data.count, 2 * p], scalars: values), labels: data.labels, classes: p)
    }
    var result = self
    result.train = encode(train)
    result.test = encode(test)
    result.inputShape = [2 * p]
    return result
  }
}
