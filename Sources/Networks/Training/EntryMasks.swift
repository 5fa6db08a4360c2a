import Tensors

/// Training only some entries of some parameters: the gradient is masked to those entries and
/// every other entry is put back after each optimizer step (weight decay and momentum would
/// otherwise move it), so frozen entries keep their exact bits.
struct EntryMasks<Scalar: TensorScalar> {
  /// Per partly trainable parameter: 1 at trainable entries, 0 elsewhere.
  private var masks: [String: Tensor<Scalar>] = [:]
  /// Per partly trainable parameter: the trainable flat indices, sorted and unique.
  private var entries: [String: [Int]] = [:]

  init(_ trainableEntries: [String: [Int]], parameters: [String: Tensor<Scalar>], trainable: Set<String>) throws {
    for (name, indices) in trainableEntries {
      guard trainable.contains(name), let parameter = parameters[name] else {
        throw TrainingError.invalid("entries are given for \"\(name)\", which is not one of the parameters being trained")
      }
      let unique = Array(Set(indices)).sorted()
      if let bad = unique.first(where: { $0 < 0 || $0 >= parameter.count }) {
        throw TrainingError.invalid("entry \(bad) of \"\(name)\" is outside 0..<\(parameter.count)")
      }
      var mask = Tensor<Scalar>.zeros(parameter.shape)
      for i in unique { mask[flat: i] = 1 }
      masks[name] = mask
      entries[name] = unique
    }
  }

  var isEmpty: Bool { masks.isEmpty }

  /// The gradients with the frozen entries set to zero.
  func masking(_ gradients: [String: Tensor<Scalar>]) -> [String: Tensor<Scalar>] {
    guard !masks.isEmpty else { return gradients }
    var result = gradients
    for (name, mask) in masks { if let g = gradients[name] { result[name] = g * mask } }
    return result
  }

  /// Copies the trainable entries of the updated `parameters` onto their values `before` the step.
  func restoreFrozenEntries(_ parameters: inout [String: Tensor<Scalar>], from before: [String: Tensor<Scalar>]) {
    for (name, indices) in entries {
      guard let updated = parameters[name], var restored = before[name] else { continue }
      for i in indices { restored[flat: i] = updated[flat: i] }
      parameters[name] = restored
    }
  }
}
