extension Tensor {
  /// Softmax along an axis, computed stably (the maximum is subtracted first).
  public func softmax(axis: Int = -1) -> Tensor {
    let a = axisIndex(axis)
    let e = (self - max(axis: a, keepingDimension: true)).exp()
    return e / e.sum(axis: a, keepingDimension: true)
  }

  /// Log-softmax along an axis: x - logsumexp(x).
  public func logSoftmax(axis: Int = -1) -> Tensor {
    let a = axisIndex(axis)
    let shifted = self - max(axis: a, keepingDimension: true)
    return shifted - shifted.exp().sum(axis: a, keepingDimension: true).log()
  }

  /// Normalizes the last axis to zero mean and unit variance: (x - mean) / sqrt(var + eps).
  public func layerNormalized(epsilon: Scalar = 1e-5) -> Tensor {
    let centered = self - mean(axis: -1, keepingDimension: true)
    let variance = centered.squared().mean(axis: -1, keepingDimension: true)
    return centered / (variance + epsilon).sqrt()
  }

  /// A one-hot matrix `[labels.count, classes]`.
  public static func oneHot(_ labels: [Int], classes: Int) -> Tensor {
    var t = Tensor.zeros([labels.count, classes])
    for (i, label) in labels.enumerated() {
      precondition(label >= 0 && label < classes, "label \(label) out of range 0..<\(classes)")
      t.scalars[i * classes + label] = 1
    }
    return t
  }
}
