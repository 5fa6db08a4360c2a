import Autodiff
import Tensors

/// A multilayer perceptron: `widths = [input, hidden..., classes]`.
///
/// Sites: "input"; per hidden layer k: "layers.k.pre" (W x + b), "layers.k.post" (after the
/// activation) and, with residual connections, "layers.k.out" (x + post); "logits".
/// Residual connections are used between consecutive hidden layers of equal width.
public struct MLPArchitecture: ArchitectureDefinition {
  public var widths: [Int]
  public var activation: Activation
  public var residual: Bool

  public init(widths: [Int], activation: Activation = .relu, residual: Bool = false) {
    self.widths = widths
    self.activation = activation
    self.residual = residual
  }

  public var inputShape: [Int] { [widths[0]] }

  /// Whether hidden layer k adds its input back.
  func isResidual(_ k: Int) -> Bool { residual && k > 0 && widths[k] == widths[k + 1] }

  var parameterSpecs: [ParameterSpec] {
    (0..<(widths.count - 1)).flatMap { k in
      ParameterSpec.linear("layers.\(k)", inputs: widths[k], outputs: widths[k + 1])
    }
  }

  func stages<Scalar: TensorScalar>() -> [Stage<Scalar>] {
    var stages: [Stage<Scalar>] = []
    let hidden = widths.count - 2
    for k in 0..<hidden {
      let activation = self.activation
      if isResidual(k) {
        stages.append(
          Stage(site: "layers.\(k).out") { x, c in
            let pre = try c.site("layers.\(k).pre", c.linear(x, "layers.\(k)"))
            let post = try c.site("layers.\(k).post", activation(pre))
            return x + post
          })
      } else {
        stages.append(Stage(site: "layers.\(k).pre") { x, c in c.linear(x, "layers.\(k)") })
        stages.append(Stage(site: "layers.\(k).post") { x, _ in activation(x) })
      }
    }
    stages.append(Stage(site: "logits") { x, c in c.linear(x, "layers.\(hidden)") })
    return stages
  }

  func validate() throws {
    guard widths.count >= 2, widths.allSatisfy({ $0 > 0 }) else {
      throw NetworkError.invalidArchitecture("MLP widths must be at least [input, classes], all positive; got \(widths)")
    }
  }
}
