import Autodiff
import Tensors

/// Accuracy, loss and per-class accuracy of a network on labelled data.
public struct EvaluationMetrics: Codable, Sendable, Equatable {
  public var loss: Double
  public var accuracy: Double
  /// Accuracy on the samples of each class (NaN-free: classes with no samples get 0).
  public var perClassAccuracy: [Double]
  /// The mean of the per-class accuracies.
  public var meanPerClassAccuracy: Double {
    perClassAccuracy.isEmpty ? 0 : perClassAccuracy.reduce(0, +) / Double(perClassAccuracy.count)
  }
}

extension Network {
  /// Logits for `inputs` computed in batches (no graph is recorded).
  public func logits(_ inputs: Tensor<Scalar>, batchSize: Int = 1024, options: ForwardOptions<Scalar> = .init()) throws -> Tensor<
    Scalar
  > {
    let n = inputs.shape[0]
    var parts: [Tensor<Scalar>] = []
    var start = 0
    while start < n {
      let end = Swift.min(n, start + batchSize)
      let batch = start == 0 && end == n ? inputs : inputs.slice(axis: 0, start..<end)
      parts.append(try forward(Variable(batch), options: options).output.value)
      start = end
    }
    return parts.count == 1 ? parts[0] : Tensor.concatenate(parts, axis: 0)
  }

  /// Loss, accuracy and per-class accuracy on `data`, with optional interventions (lesions).
  public func evaluate(_ data: LabeledData<Scalar>, batchSize: Int = 1024, interventions: [String: Intervention<Scalar>] = [:])
    throws -> EvaluationMetrics
  {
    let logits = try self.logits(data.inputs, batchSize: batchSize, options: ForwardOptions(interventions: interventions))
    return EvaluationMetrics(logits: logits.reshaped([-1, data.classes]), labels: data.labels, classes: data.classes)
  }
}

extension EvaluationMetrics {
  /// Metrics from logits `[N, C]` and labels.
  public init<Scalar: TensorScalar>(logits: Tensor<Scalar>, labels: [Int], classes: Int) {
    let logProbabilities = logits.logSoftmax(axis: 1)
    let predictions = logits.argmax(axis: 1)
    var correct = [Int](repeating: 0, count: classes)
    var total = [Int](repeating: 0, count: classes)
    var loss = 0.0
    for (i, label) in labels.enumerated() {
      total[label] += 1
      if predictions[i] == label { correct[label] += 1 }
      loss -= Double(logProbabilities[flat: i * classes + label])
    }
    let n = Swift.max(labels.count, 1)
    self.loss = loss / Double(n)
    self.accuracy = Double(correct.reduce(0, +)) / Double(n)
    self.perClassAccuracy = (0..<classes).map { total[$0] == 0 ? 0 : Double(correct[$0]) / Double(total[$0]) }
  }
}
