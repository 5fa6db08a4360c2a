import Foundation
import Networks
import Tensors

/// scikit-learn's bundled 8x8 handwritten digits: 1,797 grayscale images, classes 0...9.
///
/// Source: `sklearn.datasets.load_digits()`, a copy of the test set of the UCI "Optical
/// Recognition of Handwritten Digits" data (Alpaydin and Kaynak), distributed with scikit-learn
/// (BSD-3-Clause). `scripts/fetch_digits.py` converted it once into this module's resources
/// `digits_images.npy` (uint8 `[1797, 8, 8]`, pixel values 0...16) and `digits_labels.npy`
/// (uint8 `[1797]`), in scikit-learn's order; nothing is downloaded at run time.
///
/// Inputs: pixel values divided by 16, so in `[0, 1]`, shaped `[N, 1, 8, 8]` for a CNN; use
/// ``TaskData/flattened()`` for `[N, 64]` MLP inputs.
///
/// Split: stratified 80/20 (see `docs/datasets.md`). With a `SeededGenerator(seed:)`, for each
/// digit 0...9 in turn a permutation of that digit's images (in file order) is drawn and its
/// first `round(n / 5)` images go to the test split; then the training and the test split are
/// each shuffled, in that order, with the same generator. That gives 1,438 training and 359 test
/// images for every seed; the default seed is 0.
public struct DigitsTask: Sendable, Hashable {
  /// The seed of the split.
  public var seed: UInt64

  /// The number of images, 1,797.
  public static let imageCount = 1797
  /// The side of each square image, 8 pixels.
  public static let side = 8
  /// The largest pixel value, 16.
  public static let maximumPixel = 16
  /// The fraction of each digit's images held out for testing, 0.2.
  public static let testFraction = 0.2

  /// Creates the task.
  public init(seed: UInt64 = 0) { self.seed = seed }

  /// All 1,797 images, `[1797, 1, 8, 8]` scaled to `[0, 1]`, with their labels, in scikit-learn's order.
  ///
  /// - Throws: ``DatasetError`` when a bundled resource is missing or damaged.
  public static func allImages<Scalar: TensorScalar>(as _: Scalar.Type = Scalar.self) throws -> LabeledData<Scalar> {
    try ImageFiles.read(
      images: try resource("digits_images"), labels: try resource("digits_labels"),
      side: side, maximum: maximumPixel, classes: 10, expectedCount: imageCount)
  }

  /// Loads the images and splits them.
  ///
  /// - Throws: ``DatasetError`` when a bundled resource is missing or damaged.
  public func load<Scalar: TensorScalar>(as _: Scalar.Type = Scalar.self) throws -> TaskData<Scalar> {
    let all: LabeledData<Scalar> = try Self.allImages()
    var generator = SeededGenerator(seed: seed)
    let (train, test) = Splitting.stratified(
      labels: all.labels, classes: 10, testFraction: Self.testFraction, using: &generator)
    return TaskData(
      name: BuiltInTask.digits.rawValue,
      description: """
        scikit-learn's 8x8 handwritten digits (UCI optical digits test set, BSD-3-Clause): \
        \(Self.imageCount) images, pixels scaled from 0...16 to [0, 1], inputs [1, 8, 8]. \
        Stratified 80/20 split with seed \(seed): \(train.count) training, \(test.count) test images.
        """,
      inputShape: [1, Self.side, Self.side], classes: 10,
      train: all.subset(train), test: all.subset(test))
  }

  /// The URL of the bundled `.npy` resource `name`.
  private static func resource(_ name: String) throws -> URL {
    guard let url = Bundle.module.url(forResource: name, withExtension: "npy", subdirectory: "Resources") else {
      throw DatasetError(
        .missingFile, path: "\(name).npy",
        "the Datasets resource is missing from the bundle; run `python3 scripts/fetch_digits.py` and rebuild")
    }
    return url
  }
}
