import Tensors

extension Variable {
  /// Softmax along an axis.
  public func softmax(axis: Int = -1) -> Variable {
    let a = value.axisIndex(axis)
    let y = value.softmax(axis: a)
    return Variable.recording(y, from: [self]) { g, _ in
      [y * (g - (g * y).sum(axis: a, keepingDimension: true))]
    }
  }

  /// Log-softmax along an axis.
  public func logSoftmax(axis: Int = -1) -> Variable {
    let a = value.axisIndex(axis)
    let y = value.logSoftmax(axis: a)
    return Variable.recording(y, from: [self]) { g, _ in
      [g - y.exp() * g.sum(axis: a, keepingDimension: true)]
    }
  }

  /// Layer normalization over the last axis without the affine part:
  /// (x - mean) / sqrt(var + eps). Multiply and add learned gain and bias separately.
  public func layerNormalized(epsilon: Scalar = 1e-5) -> Variable {
    let x = value
    let centered = x - x.mean(axis: -1, keepingDimension: true)
    let inverseStd = (centered.squared().mean(axis: -1, keepingDimension: true) + epsilon).sqrt().map(.reciprocal)
    let y = centered * inverseStd
    return Variable.recording(y, from: [self]) { g, _ in
      let meanG = g.mean(axis: -1, keepingDimension: true)
      let meanGY = (g * y).mean(axis: -1, keepingDimension: true)
      return [inverseStd * (g - meanG - y * meanGY)]
    }
  }

  /// Mean cross-entropy of logits `[N, C]` against integer labels, fused with the
  /// log-softmax (the pullback is (softmax - onehot) / N).
  public func crossEntropy(labels: [Int]) -> Variable {
    precondition(
      rank == 2 && shape[0] == labels.count, "crossEntropy needs logits [N, C] for \(labels.count) labels, got \(shape)")
    let classes = shape[1]
    let logProbabilities = value.logSoftmax(axis: 1)
    var total = 0.0
    for (i, label) in labels.enumerated() {
      precondition(label >= 0 && label < classes, "label \(label) out of range 0..<\(classes)")
      total -= Double(logProbabilities.scalars[i * classes + label])
    }
    let n = Scalar(labels.count)
    let loss = Tensor(Scalar(total) / n)
    return Variable.recording(loss, from: [self]) { g, _ in
      [(logProbabilities.exp() - Tensor.oneHot(labels, classes: classes)) * (g.scalar / n)]
    }
  }
}
