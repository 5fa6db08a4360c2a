import Tensors

/// Inputs with integer class labels: what training and evaluation consume.
///
/// `inputs` is `[N, ...inputShape]`. `labels` has one label per sample (classification), or
/// one per sample and position (`N * T` labels, language modelling, row-major).
public struct LabeledData<Scalar: TensorScalar>: Sendable {
  public var inputs: Tensor<Scalar>
  public var labels: [Int]
  /// The number of classes; labels lie in `0..<classes`.
  public var classes: Int

  public init(inputs: Tensor<Scalar>, labels: [Int], classes: Int) {
    precondition(inputs.rank >= 1, "inputs need a leading sample axis")
    precondition(
      inputs.shape[0] == 0 || labels.count % inputs.shape[0] == 0,
      "\(labels.count) labels for \(inputs.shape[0]) samples")
    self.inputs = inputs
    self.labels = labels
    self.classes = classes
  }

  /// The number of samples.
  public var count: Int { inputs.shape[0] }

  /// Labels per sample (1 for classification, T for language modelling).
  public var labelsPerSample: Int { count == 0 ? 1 : labels.count / count }

  /// The samples at `indices`, in that order.
  public func subset(_ indices: [Int]) -> LabeledData {
    let k = labelsPerSample
    return LabeledData(
      inputs: inputs.gathering(indices), labels: indices.flatMap { i in labels[(i * k)..<((i + 1) * k)] }, classes: classes)
  }

  /// The first `n` samples (or all when fewer).
  public func prefix(_ n: Int) -> LabeledData { subset(Array(0..<Swift.min(n, count))) }

  /// `n` samples drawn without replacement with `seed`, kept in their original order (all
  /// samples when `n` is at least the count).
  public func sampled(_ n: Int, seed: UInt64) -> LabeledData {
    guard n < count else { return self }
    var generator = SeededGenerator(seed: seed)
    return subset(Array(Array(0..<count).shuffled(using: &generator).prefix(n)).sorted())
  }
}
