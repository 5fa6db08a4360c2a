import Networks
import Tensors

/// Modular addition, the "grokking" task: given tokens `[a, b, =]`, predict `(a + b) mod p`.
///
/// Construction: every ordered pair `(a, b)` with `a, b` in `0..<p` appears exactly once, so
/// there are `p * p` samples. Sample `a * p + b` (the pair's index) is the token sequence
/// `[a, b, p]`: the token id `p` stands for "=", so the vocabulary has `p + 1` tokens. Inputs
/// are a `[N, 3]` tensor holding the token ids as floating-point numbers (an embedding layer
/// reads them as indices), and the label is `(a + b) mod p`, so there are `p` classes.
///
/// Split: a permutation of the pair indices `0..<p*p` is drawn from `SeededGenerator(seed:)`;
/// its first `floor(trainFraction * p * p)` entries are the training split and the rest the test
/// split, each in permutation order. With the defaults (`p = 113`, `trainFraction = 0.3`,
/// `seed = 0`) that is 3,830 training and 8,939 test pairs.
public struct ModularAdditionTask: Sendable, Hashable {
  /// The modulus `p`: the number of classes and of operand values.
  public var modulus: Int
  /// The fraction of all `p * p` pairs in the training split (rounded down to a whole pair).
  public var trainFraction: Double
  /// The seed of the split permutation.
  public var seed: UInt64

  /// The default modulus, 113, as in Nanda et al., "Progress measures for grokking via
  /// mechanistic interpretability" (2023).
  public static let defaultModulus = 113
  /// The default training fraction, 0.3.
  public static let defaultTrainFraction = 0.3

  /// Creates the task.
  public init(modulus: Int = defaultModulus, trainFraction: Double = defaultTrainFraction, seed: UInt64 = 0) {
    self.modulus = modulus
    self.trainFraction = trainFraction
    self.seed = seed
  }

  /// The token id of "=", the third token of every sample: `p`.
  public var equalsToken: Int { modulus }
  /// The number of distinct tokens: `p + 1` (the operands `0..<p` and "=").
  public var vocabularySize: Int { modulus + 1 }
  /// The number of pairs, `p * p`.
  public var pairCount: Int { modulus * modulus }
  /// The number of training pairs, `floor(trainFraction * p * p)`.
  public var trainCount: Int { Int((trainFraction * Double(pairCount)).rounded(.down)) }

  /// The operands of the pair with index `index` (`index = a * p + b`).
  public func operands(ofPair index: Int) -> (a: Int, b: Int) { (index / modulus, index % modulus) }

  /// The label of `a + b`: `(a + b) mod p`.
  public func label(a: Int, b: Int) -> Int { (a + b) % modulus }

  /// Builds both splits.
  ///
  /// - Throws: ``DatasetError`` when `modulus < 2` or `trainFraction` is outside `[0, 1]`.
  public func load<Scalar: TensorScalar>(as _: Scalar.Type = Scalar.self) throws -> TaskData<Scalar> {
    guard modulus >= 2 else {
      throw DatasetError(.invalidParameter, path: nil, "modular addition needs a modulus of at least 2, got \(modulus)")
    }
    guard trainFraction >= 0, trainFraction <= 1 else {
      throw DatasetError(.invalidParameter, path: nil, "the training fraction must lie in [0, 1], got \(trainFraction)")
    }
    var generator = SeededGenerator(seed: seed)
    let (trainIndices, testIndices) = Splitting.permuted(count: pairCount, trainCount: trainCount, using: &generator)
    return TaskData(
      name: BuiltInTask.modularAddition.rawValue,
      description: """
        Modular addition mod \(modulus): inputs are the token ids [a, b, =] with "=" = \(equalsToken) \
        (vocabulary \(vocabularySize)), the label is (a + b) mod \(modulus). All \(pairCount) pairs; \
        \(trainIndices.count) for training (fraction \(trainFraction), rounded down) by a seeded \
        permutation (seed \(seed)), the other \(testIndices.count) for testing.
        """,
      inputShape: [3], classes: modulus,
      train: samples(trainIndices), test: samples(testIndices))
  }

  /// The samples for the given pair indices, in that order.
  private func samples<Scalar: TensorScalar>(_ indices: [Int]) -> LabeledData<Scalar> {
    var tokens: [Scalar] = []
    tokens.reserveCapacity(indices.count * 3)
    var labels: [Int] = []
    labels.reserveCapacity(indices.count)
    for index in indices {
      let (a, b) = operands(ofPair: index)
      tokens += [Scalar(a), Scalar(b), Scalar(equalsToken)]
      labels.append(label(a: a, b: b))
    }
    return LabeledData(inputs: Tensor(shape: [indices.count, 3], scalars: tokens), labels: labels, classes: modulus)
  }
}
