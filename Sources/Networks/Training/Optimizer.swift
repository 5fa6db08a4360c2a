import Foundation
import Tensors

/// Which optimizer to use, with its hyperparameters (stored in model metadata).
public enum OptimizerConfiguration: Codable, Sendable, Hashable {
  /// Stochastic gradient descent with optional momentum and L2 weight decay (added to the gradient).
  case sgd(learningRate: Double, momentum: Double = 0, weightDecay: Double = 0)
  /// Adam (Kingma & Ba) with L2 weight decay added to the gradient.
  case adam(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0)
  /// AdamW (Loshchilov & Hutter): weight decay applied directly to the weights, decoupled from the gradient.
  case adamW(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0.01)

  public var learningRate: Double {
    switch self {
    case .sgd(let lr, _, _), .adam(let lr, _, _, _, _), .adamW(let lr, _, _, _, _): lr
    }
  }
}

/// Optimizer state for a set of named parameters; `step` applies one update in place.
/// The updates follow PyTorch's `torch.optim` formulas exactly.
public struct Optimizer<Scalar: TensorScalar>: Sendable {
  public let configuration: OptimizerConfiguration
  /// Steps taken so far (t in the bias corrections).
  public private(set) var stepCount = 0
  private var firstMoments: [String: Tensor<Scalar>] = [:]
  private var secondMoments: [String: Tensor<Scalar>] = [:]

  public init(_ configuration: OptimizerConfiguration) {
    self.configuration = configuration
  }

  /// Updates `parameters[name]` for every name in `gradients`.
  public mutating func step(_ parameters: inout [String: Tensor<Scalar>], gradients: [String: Tensor<Scalar>]) {
    stepCount += 1
    let t = Double(stepCount)
    for (name, gradient) in gradients {
      guard let p = parameters[name] else { continue }
      switch configuration {
      case .sgd(let lr, let momentum, let weightDecay):
        var g = gradient
        if weightDecay != 0 { g = g + p * Scalar(weightDecay) }
        if momentum != 0 {
          let buffer = firstMoments[name].map { $0 * Scalar(momentum) + g } ?? g
          firstMoments[name] = buffer
          g = buffer
        }
        parameters[name] = p - g * Scalar(lr)
      case .adam(let lr, let beta1, let beta2, let epsilon, let weightDecay):
        let g = weightDecay != 0 ? gradient + p * Scalar(weightDecay) : gradient
        parameters[name] = adamStep(name, p, g, lr: lr, beta1: beta1, beta2: beta2, epsilon: epsilon, t: t)
      case .adamW(let lr, let beta1, let beta2, let epsilon, let weightDecay):
        let decayed = weightDecay != 0 ? p * Scalar(1 - lr * weightDecay) : p
        parameters[name] = adamStep(name, decayed, gradient, lr: lr, beta1: beta1, beta2: beta2, epsilon: epsilon, t: t)
      }
    }
  }

  private mutating func adamStep(
    _ name: String, _ p: Tensor<Scalar>, _ g: Tensor<Scalar>, lr: Double, beta1: Double, beta2: Double, epsilon: Double,
    t: Double
  ) -> Tensor<Scalar> {
    let m = (firstMoments[name] ?? Tensor.zeros(g.shape)) * Scalar(beta1) + g * Scalar(1 - beta1)
    let v = (secondMoments[name] ?? Tensor.zeros(g.shape)) * Scalar(beta2) + g.squared() * Scalar(1 - beta2)
    firstMoments[name] = m
    secondMoments[name] = v
    let correction1 = 1 - Foundation.pow(beta1, t)
    let correction2 = 1 - Foundation.pow(beta2, t)
    // PyTorch: p -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps)
    let denominator = v.sqrt() * Scalar(1 / correction2.squareRoot()) + Scalar(epsilon)
    return p - m / denominator * Scalar(lr / correction1)
  }
}
