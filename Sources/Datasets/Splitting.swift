import Tensors

/// The seeded split rules shared by the built-in tasks.
enum Splitting {
  /// A stratified split: for each class in ascending order, a permutation of that class's
  /// sample indices (in their original order) is drawn from `generator`, and its first
  /// `round(testFraction * n_c)` entries (rounding half away from zero) go to the test split, the
  /// rest to the training split. Each split is then put in a random order by shuffling it with
  /// the same generator, training split first.
  ///
  /// - Returns: indices into `labels` for the training and test splits; together they are a
  ///   permutation of `0..<labels.count`.
  static func stratified(
    labels: [Int], classes: Int, testFraction: Double, using generator: inout SeededGenerator
  ) -> (train: [Int], test: [Int]) {
    var members = [[Int]](repeating: [], count: classes)
    for (index, label) in labels.enumerated() { members[label].append(index) }
    var train: [Int] = []
    var test: [Int] = []
    for indices in members {
      let order = generator.permutation(indices.count)
      let testCount = Int((testFraction * Double(indices.count)).rounded())
      test += order[..<testCount].map { indices[$0] }
      train += order[testCount...].map { indices[$0] }
    }
    generator.shuffle(&train)
    generator.shuffle(&test)
    return (train, test)
  }

  /// A plain seeded split of `0..<count`: the first `trainCount` entries of a permutation drawn
  /// from `generator` form the training split, the rest the test split, each in permutation
  /// order.
  static func permuted(
    count: Int, trainCount: Int, using generator: inout SeededGenerator
  ) -> (train: [Int], test: [Int]) {
    let order = generator.permutation(count)
    return (Array(order[..<trainCount]), Array(order[trainCount...]))
  }
}
