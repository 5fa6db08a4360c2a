import Datasets
import Foundation
import Networks
import Recipes
import Tensors

/// A shifted version of a task for `netatlas finetune`: the same inputs with new labels.
public enum TaskShift: String, Codable, CaseIterable {
  /// Any task: label y becomes pi(y) for a fixed random permutation pi of the classes, drawn
  /// from `SeededGenerator(seed:)` (a permutation of the readout; pi may fix a few classes).
  case permutedLabels = "permuted-labels"
  /// Modular addition only: label (a + b + 1) mod p (the answer moved by one; also a
  /// permutation of the classes, a cyclic one).
  case offset
  /// Modular addition only: label (a + 2b) mod p (a new function of the operands: the
  /// representation of b has to change, not only the readout).
  case aPlus2b = "a-plus-2b"
  /// Modular addition only: label (a - b) mod p.
  case aMinusB = "a-minus-b"

  /// A one-line description for reports.
  public var summary: String {
    switch self {
    case .permutedLabels: "labels permuted by a fixed seeded permutation of the classes"
    case .offset: "modular addition relabelled (a + b + 1) mod p"
    case .aPlus2b: "modular addition relabelled (a + 2b) mod p"
    case .aMinusB: "modular addition relabelled (a - b) mod p"
    }
  }

  /// The label of operands (a, b) mod p under a modular shift (nil for `permutedLabels`).
  public func modularLabel(a: Int, b: Int, modulus p: Int) -> Int? {
    switch self {
    case .permutedLabels: nil
    case .offset: (a + b + 1) % p
    case .aPlus2b: (a + 2 * b) % p
    case .aMinusB: ((a - b) % p + p) % p
    }
  }

  /// The class permutation of `permutedLabels` for `classes` classes and `seed`.
  public static func permutation(classes: Int, seed: UInt64) -> [Int] {
    var generator = SeededGenerator(seed: seed)
    return generator.permutation(classes)
  }

  /// `data` with shifted labels. Modular shifts read the operands from the inputs: tokens
  /// `[a, b, =]` (transformer layout) or one-hot operands `[onehot(a), onehot(b)]` (MLP layout).
  public func apply(to data: TaskData<Float>, recipe: TrainingRecipe, seed: UInt64) throws -> TaskData<Float> {
    var shifted = data
    if self == .permutedLabels {
      let pi = Self.permutation(classes: data.classes, seed: seed)
      shifted.train.labels = data.train.labels.map { pi[$0] }
      shifted.test.labels = data.test.labels.map { pi[$0] }
      return shifted
    }
    guard recipe.task == .modularAddition else {
      throw AnalysisError(
        "--shift \(rawValue) needs a modular-addition model; \(recipe.rawValue) is \(recipe.task.rawValue) (use permuted-labels)")
    }
    let p = data.classes
    func relabel(_ split: LabeledData<Float>) throws -> [Int] {
      try Self.operands(split.inputs, modulus: p).map { modularLabel(a: $0.a, b: $0.b, modulus: p)! }
    }
    shifted.train.labels = try relabel(data.train)
    shifted.test.labels = try relabel(data.test)
    return shifted
  }

  /// The operands (a, b) of modular-addition inputs: tokens `[N, 3]` or one-hot `[N, 2p]`.
  public static func operands(_ inputs: Tensor<Float>, modulus p: Int) throws -> [(a: Int, b: Int)] {
    let n = inputs.shape[0]
    let width = inputs.shape.dropFirst().reduce(1, *)
    let x = inputs.scalars
    if inputs.rank == 2 && width == 3 {
      return (0..<n).map { (Int(x[$0 * 3]), Int(x[$0 * 3 + 1])) }
    }
    guard inputs.rank == 2 && width == 2 * p else {
      throw AnalysisError(
        "modular-addition inputs must be tokens [N, 3] or one-hot operands [N, \(2 * p)]; got \(inputs.shape)")
    }
    return try x.withUnsafeBufferPointer { values in
      try (0..<n).map { i in
        let row = i * 2 * p
        var a: [Int] = []
        var b: [Int] = []
        for k in 0..<p where values[row + k] != 0 { a.append(k) }
        for k in 0..<p where values[row + p + k] != 0 { b.append(k) }
        guard a.count == 1, b.count == 1 else { throw AnalysisError("sample \(i) is not a pair of one-hot operands") }
        return (a[0], b[0])
      }
    }
  }
}
