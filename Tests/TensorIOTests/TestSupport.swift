import Foundation
import Testing

@testable import TensorIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The folder of fixtures written by scripts/make_io_fixtures.py.
func fixtureURL(_ name: String) throws -> URL {
  let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
  return folder.appendingPathComponent(name)
}

/// A fresh temporary directory, removed when the returned value is released.
final class TemporaryDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("TensorIOTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes `bytes` to `name` inside the directory and returns its URL.
  ///
  /// Uses stdio rather than `Data.write`, which syncs every file to disk and makes the
  /// thousands of small writes of the fuzz tests slow.
  func file(_ name: String, _ bytes: Data) throws -> URL {
    let file = url.appendingPathComponent(name)
    guard let handle = fopen(file.path, "wb") else { throw CocoaError(.fileWriteUnknown) }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
    guard fclose(handle) == 0, written == bytes.count else { throw CocoaError(.fileWriteUnknown) }
    return file
  }

  func file(_ name: String, _ bytes: [UInt8]) throws -> URL { try file(name, Data(bytes)) }

  /// The names of the files in the directory.
  func contents() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
  }
}

/// Expects `body` to throw a ``TensorIOError`` of `kind` whose description names `fileName` and
/// contains every word of `words` (case-insensitive).
@discardableResult
func expectIOError(
  _ kind: TensorIOError.Kind, mentioning words: String..., file fileName: String,
  sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> TensorIOError? {
  let error = #expect(throws: TensorIOError.self, sourceLocation: sourceLocation) { try body() }
  guard let error else { return nil }
  #expect(error.kind == kind, "wrong kind: \(error)", sourceLocation: sourceLocation)
  #expect(error.description.contains(fileName), "file not named: \(error)", sourceLocation: sourceLocation)
  for word in words {
    #expect(
      error.description.lowercased().contains(word.lowercased()), "'\(word)' not in: \(error)",
      sourceLocation: sourceLocation)
  }
  return error
}

/// The bytes of a safetensors file with the given header text and data buffer.
func safetensorsBytes(header: String, buffer: [UInt8] = [], declaredLength: UInt64? = nil) -> Data {
  let headerBytes = Array(header.utf8)
  var length = (declaredLength ?? UInt64(headerBytes.count)).littleEndian
  var data = Data(bytes: &length, count: 8)
  data.append(contentsOf: headerBytes)
  data.append(contentsOf: buffer)
  return data
}

/// The bytes of a .npy file with the given version, header dict text and data.
func npyBytes(major: UInt8 = 1, header: String, data: [UInt8] = [], declaredLength: Int? = nil) -> Data {
  let headerBytes = Array(header.utf8)
  var bytes = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0])
  let length = declaredLength ?? headerBytes.count
  let lengthSize = major == 1 ? 2 : 4
  for index in 0..<lengthSize { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * index))) }
  bytes.append(contentsOf: headerBytes)
  bytes.append(contentsOf: data)
  return bytes
}

/// A small deterministic generator (SplitMix64) for the fuzz tests.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
