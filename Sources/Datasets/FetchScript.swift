import Foundation

/// Runs one of the repository's `scripts/fetch_*.py` scripts to fill a data set's cache folder.
enum FetchScript {
  /// Runs `python3 <scriptPath> --out <directory>` and checks that it wrote `expectedFiles`.
  ///
  /// - Parameters:
  ///   - scriptPath: The script's path inside the repository, e.g. `scripts/fetch_mnist.py`.
  ///   - dataName: The data set's name for messages, e.g. `"MNIST"`.
  ///   - directory: The cache folder the script writes into.
  ///   - expectedFiles: File names the script must leave in `directory`.
  /// - Throws: ``DatasetError`` of kind `fetchFailed` that says how to fetch by hand.
  static func run(scriptPath: String, dataName: String, into directory: URL, expectedFiles: [String]) throws {
    let manual = "from the repository root run `python3 \(scriptPath) --out \(directory.path)`"
    guard let script = locate(scriptPath) else {
      throw DatasetError(
        .fetchFailed, path: directory.path,
        "\(dataName) is not cached and \(scriptPath) was not found in the current directory or its parents; \(manual)")
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
        "fetching \(dataName) failed with exit status \(process.terminationStatus):\n\(tail)\nTo fetch by hand, \(manual)")
    }
    for name in expectedFiles {
      let file = directory.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: file.path) else {
        throw DatasetError(.fetchFailed, path: file.path, "the fetch script finished but did not write this file; \(manual)")
      }
    }
  }

  /// The script at `scriptPath` in the current directory or its nearest parent that has one,
  /// else in the source checkout this module was built from.
  static func locate(_ scriptPath: String) -> URL? {
    var candidates: [URL] = []
    var folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    while true {
      candidates.append(folder.appendingPathComponent(scriptPath))
      let parent = folder.deletingLastPathComponent()
      if parent.path == folder.path { break }
      folder = parent
    }
    // This file is <checkout>/Sources/Datasets/FetchScript.swift.
    let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    candidates.append(checkout.appendingPathComponent(scriptPath))
    return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
  }
}
