import Networks
import Tensors

/// Next-token samples cut from tokenized documents, as the language-model tasks use them.
enum TextWindows {
  /// The start offsets of the windows of a document of `length` tokens: `0, T, 2T, ...` for
  /// every start `s` with `s + T + 1 <= length` (`T` = `contextLength`). Window `s` reads tokens
  /// `s..<s+T` and predicts tokens `s+1...s+T`, so consecutive windows predict consecutive
  /// stretches and every token of the document but the first is predicted exactly once, except
  /// a tail shorter than `T` that is dropped. A document shorter than `T + 1` gives no window.
  static func starts(length: Int, contextLength: Int) -> [Int] {
    guard contextLength > 0, length >= contextLength + 1 else { return [] }
    return Array(stride(from: 0, through: length - contextLength - 1, by: contextLength))
  }

  /// The windows of `documents`, in document order and window order within a document:
  /// inputs `[N, T]` (token ids as numbers) and `N * T` labels (the next token at every
  /// position, row-major), with `classes` classes.
  static func samples<Scalar: TensorScalar>(
    _ documents: [[Int]], contextLength: Int, classes: Int
  ) -> LabeledData<Scalar> {
    var inputs: [Scalar] = []
    var labels: [Int] = []
    for tokens in documents {
      for start in starts(length: tokens.count, contextLength: contextLength) {
        inputs += tokens[start..<(start + contextLength)].map { Scalar($0) }
        labels += tokens[(start + 1)...(start + contextLength)]
      }
    }
    let count = inputs.count / contextLength
    return LabeledData(inputs: Tensor(shape: [count, contextLength], scalars: inputs), labels: labels, classes: classes)
  }

  /// `data` with its samples put in the order of a permutation drawn from `generator`.
  static func shuffled<Scalar: TensorScalar>(_ data: LabeledData<Scalar>, using generator: inout SeededGenerator)
    -> LabeledData<Scalar>
  {
    data.subset(generator.permutation(data.count))
  }
}
