import Autodiff
import Tensors

/// A function that replaces the activation at a site during a forward pass.
///
/// Interventions act on `Variable`s, so gradients and Jacobians flow through them. Unit
/// indices refer to the last axis (the neuron or channel-last feature axis); for
/// convolutional maps `[N, C, H, W]` they refer to channels.
public struct Intervention<Scalar: TensorScalar>: Sendable {
  /// The replacement map.
  public let transform: @Sendable (Variable<Scalar>) -> Variable<Scalar>

  /// Wraps an arbitrary differentiable replacement.
  public init(_ transform: @escaping @Sendable (Variable<Scalar>) -> Variable<Scalar>) {
    self.transform = transform
  }

  /// The unit axis of an activation: channels (axis 1) for rank-4 maps, else the last axis.
  static func unitAxis(_ shape: [Int]) -> Int { shape.count == 4 ? 1 : shape.count - 1 }

  /// A mask with ones everywhere except `units` along the unit axis, broadcastable to `shape`.
  static func unitMask(_ units: [Int], shape: [Int], keep: Bool) -> Tensor<Scalar> {
    let axis = unitAxis(shape)
    var maskShape = [Int](repeating: 1, count: shape.count)
    maskShape[axis] = shape[axis]
    var mask = Tensor<Scalar>(repeating: keep ? 0 : 1, shape: maskShape)
    for u in units {
      precondition(u >= 0 && u < shape[axis], "unit \(u) out of range 0..<\(shape[axis])")
      mask[flat: u] = keep ? 1 : 0
    }
    return mask
  }

  /// Sets the given units to zero (a lesion).
  public static func zeroing(units: [Int]) -> Intervention {
    Intervention { x in x * unitMask(units, shape: x.shape, keep: false) }
  }

  /// Replaces the given units by fixed values (their dataset means, for mean ablation);
  /// `means` has one entry per unit of the unit axis.
  public static func meanAblating(units: [Int], means: Tensor<Scalar>) -> Intervention {
    Intervention { x in
      let axis = unitAxis(x.shape)
      var shape = [Int](repeating: 1, count: x.rank)
      shape[axis] = x.shape[axis]
      let keep = unitMask(units, shape: x.shape, keep: false)
      return x * keep + Variable(means.reshaped(shape) * (1 - keep))
    }
  }

  /// Projects the last axis onto the span of the orthonormal columns of `basis` `[d, k]`
  /// around `center` (`x -> center + (x - center) B B^T`); pass a zero center for a plain projection.
  public static func projecting(onto basis: Tensor<Scalar>, center: Tensor<Scalar>? = nil) -> Intervention {
    let projector = basis.matmul(basis, transposeOther: true)
    return Intervention { x in
      guard let center else { return x.matmul(Variable(projector)) }
      return (x - center).matmul(Variable(projector)) + center
    }
  }

  /// Replaces the activation by a stored value of the same shape (activation patching).
  public static func patching(_ value: Tensor<Scalar>) -> Intervention {
    Intervention { x in
      precondition(x.shape == value.shape, "patch of shape \(value.shape) does not fit activation \(x.shape)")
      return Variable(value)
    }
  }
}
