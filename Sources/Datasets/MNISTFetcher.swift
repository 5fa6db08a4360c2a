import Foundation

/// Runs `scripts/fetch_mnist.py` to fill the MNIST cache.
enum MNISTFetcher {
  /// The script's path inside the repository.
  static let scriptPath = "scripts/fetch_mnist.py"

  /// Runs `python3 scripts/fetch_mnist.py --out <directory>` and checks that it wrote the files.
  ///
  /// - Throws: ``DatasetError`` of kind `fetchFailed` that says how to fetch by hand.
  static func fetch(into directory: URL) throws {
    let manual = "from the repository root run `python3 \(scriptPath) --out \(directory.path)`"
    guard let script = locateScript() else {
      throw DatasetError(
        .fetchFailed, path: directory.path,
        "MNIST is not cached and \(scriptPath) was not found in the current directory or its parents; \(manual)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path, "--out", directory.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    do {
      try process.run()
    } catch {
      throw DatasetError(.fetchFailed, path: script.path, "could not start python3 (\(error)); \(manual)")
    }
    let transcript = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let tail = transcript.split(separator: "\n").suffix(5).joined(separator: "\n")
      throw DatasetError(
        .fetchFailed, path: script.path,
        "fetching MNIST failed with exit status \(process.terminationStatus):\n\(tail)\nTo fetch by hand, \(manual)")
    }
    for name in [MNISTTask.imagesFileName, MNISTTask.labelsFileName] {
      let file = directory.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: file.path) else {
        throw DatasetError(.fetchFailed, path: file.path, "the fetch script finished but did not write this file; \(manual)")
      }
    }
  }

  /// The fetch script: `scripts/fetch_mnist.py` in the current directory or its nearest parent
  /// that has one, else in the source checkout this module was built from.
  static func locateScript() -> URL? {
    var candidates: [URL] = []
    var folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    while true {
      candidates.append(folder.appendingPathComponent(scriptPath))
      let parent = folder.deletingLastPathComponent()
      if parent.path == folder.path { break }
      folder = parent
    }
    // This file is <checkout>/Sources/Datasets/MNISTFetcher.swift.
    let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    candidates.append(checkout.appendingPathComponent(scriptPath))
    return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
  }
}
