import Foundation
import Testing

@testable import TensorIO

/// Truncated and randomly damaged fixtures either read or throw a `TensorIOError`; nothing traps.
@Suite("Damaged input never crashes")
struct RobustnessTests {
  static let singleFiles = [
    "f4.npy", "f8.npy", "f2.npy", "i1.npy", "i4.npy", "i8.npy", "u1.npy", "b1.npy", "fortran.npy",
    "v2.npy", "v3.npy", "scalar.npy", "empty.npy", "mixed.safetensors",
  ]

  static func read(_ url: URL) throws {
    if url.pathExtension == "safetensors" {
      _ = try SafetensorsFile.read(url)
    } else if url.pathExtension == "npz" {
      _ = try NumPyArchive.read(url)
    } else {
      _ = try NumPyFile.read(url)
    }
  }

  @Test("every truncation of a fixture fails cleanly", arguments: singleFiles)
  func truncations(name: String) throws {
    let directory = try TemporaryDirectory()
    let bytes = try Data(contentsOf: fixtureURL(name))
    for length in 0..<bytes.count {
      let url = try directory.file("cut-\(name)", bytes.prefix(length))
      let error = #expect(throws: TensorIOError.self, "cut at \(length)") { try Self.read(url) }
      #expect(error?.description.contains(url.lastPathComponent) == true, "\(String(describing: error))")
    }
  }

  @Test("random byte damage reads or fails cleanly", arguments: singleFiles + ["stored.npz", "compressed.npz"])
  func mutations(name: String) throws {
    let directory = try TemporaryDirectory()
    let original = try Data(contentsOf: fixtureURL(name))
    var generator = SplitMix64(state: UInt64(truncatingIfNeeded: name.utf8.reduce(7) { $0 &* 31 &+ Int($1) }))
    for round in 0..<300 {
      var bytes = original
      for _ in 0..<Int.random(in: 1...3, using: &generator) {
        let index = Int.random(in: 0..<bytes.count, using: &generator)
        bytes[index] = UInt8.random(in: 0...255, using: &generator)
      }
      let url = try directory.file("damaged-\(name)", bytes)
      do {
        try Self.read(url)
      } catch let error as TensorIOError {
        #expect(error.description.contains(url.lastPathComponent), "round \(round): \(error)")
      } catch {
        Issue.record("round \(round) of \(name): unexpected error type: \(error)")
      }
    }
  }
}
