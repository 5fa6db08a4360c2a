import Networks
import Tensors

/// A classification task ready to train on: a training split, a held-out test split, and what
/// they contain.
///
/// Both splits have inputs of shape `[N] + inputShape` and one label in `0..<classes` per
/// sample. Every built-in task fixes its split by a documented, seeded rule (see
/// ``BuiltInTask`` and `docs/datasets.md`), so the same task and seed always give the same
/// samples in the same order. Samples come in a seeded random order, so `train.prefix(n)` is a
/// random, roughly class-balanced sample rather than, say, only zeros.
public struct TaskData<Scalar: TensorScalar>: Sendable {
  /// The task's identifier, e.g. `"digits"` (``BuiltInTask/rawValue`` for built-in tasks).
  public var name: String
  /// How the data was made and split, in one paragraph for people.
  public var description: String
  /// The shape of one sample, e.g. `[1, 8, 8]` for digits or `[3]` for modular addition.
  public var inputShape: [Int]
  /// The number of classes; labels lie in `0..<classes`.
  public var classes: Int
  /// The samples to train on.
  public var train: LabeledData<Scalar>
  /// The held-out samples to evaluate on.
  public var test: LabeledData<Scalar>

  /// Creates a task from its two splits.
  ///
  /// - Precondition: both splits have per-sample shape `inputShape` and `classes` classes.
  public init(
    name: String, description: String, inputShape: [Int], classes: Int,
    train: LabeledData<Scalar>, test: LabeledData<Scalar>
  ) {
    for split in [train, test] {
      precondition(
        Array(split.inputs.shape.dropFirst()) == inputShape,
        "split inputs \(split.inputs.shape) do not have per-sample shape \(inputShape)")
      precondition(split.classes == classes, "split has \(split.classes) classes, the task \(classes)")
    }
    self.name = name
    self.description = description
    self.inputShape = inputShape
    self.classes = classes
    self.train = train
    self.test = test
  }

  /// The number of input features per sample: the product of ``inputShape``.
  public var featureCount: Int { inputShape.reduce(1, *) }

  /// The same task with every sample flattened to a vector of ``featureCount`` features, as an
  /// MLP takes it: digits `[N, 1, 8, 8]` becomes `[N, 64]`, MNIST `[N, 1, 28, 28]` becomes
  /// `[N, 784]`. The element order is row-major, so nothing else changes.
  public func flattened() -> TaskData {
    let features = featureCount
    func flatten(_ split: LabeledData<Scalar>) -> LabeledData<Scalar> {
      LabeledData(inputs: split.inputs.reshaped([split.count, features]), labels: split.labels, classes: split.classes)
    }
    return TaskData(
      name: name, description: description, inputShape: [features], classes: classes,
      train: flatten(train), test: flatten(test))
  }
}
