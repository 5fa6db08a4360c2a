import Foundation

/// Runs `scripts/fetch_mnist.py` to fill the MNIST cache.
enum MNISTFetcher {
  /// The script's path inside the repository.
  static let scriptPath = "scripts/fetch_mnist.py"

  /// Runs `python3 scripts/fetch_mnist.py --out <directory>` and checks that it wrote the files.
  ///
  /// - Throws: ``DatasetError`` of kind `fetchFailed` that says how to fetch by hand.
  static func fetch(into directory: URL) throws {
    try FetchScript.run(
      scriptPath: scriptPath, dataName: "MNIST", into: directory,
      expectedFiles: [MNISTTask.imagesFileName, MNISTTask.labelsFileName])
  }
}
