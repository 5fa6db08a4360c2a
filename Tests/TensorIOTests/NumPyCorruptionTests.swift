import Foundation
import Testing

@testable import TensorIO

/// Each malformed .npy or .npz file gives a `TensorIOError` naming the file and the problem.
@Suite("Corrupt .npy and .npz files")
struct NumPyCorruptionTests {
  let directory: TemporaryDirectory
  static let validDict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"

  init() throws { directory = try TemporaryDirectory() }

  func expectFailure(
    _ name: String, _ bytes: Data, _ kind: TensorIOError.Kind, _ words: String...,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = try directory.file(name, bytes)
    let error = #expect(throws: TensorIOError.self, sourceLocation: sourceLocation) { _ = try NumPyFile.read(url) }
    guard let error else { return }
    #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
    #expect(error.description.contains(url.path), "\(error)", sourceLocation: sourceLocation)
    for word in words {
      #expect(error.description.lowercased().contains(word.lowercased()), "\(error)", sourceLocation: sourceLocation)
    }
  }

  static let floats48 = [UInt8](repeating: 0, count: 48)

  @Test func missingFile() {
    let url = directory.url.appendingPathComponent("absent.npy")
    expectIOError(.fileNotFound, mentioning: "not found", file: "absent.npy") { _ = try NumPyFile.read(url) }
  }

  @Test func badMagic() throws {
    try expectFailure("magic.npy", Data("NOTNUMPY and more text".utf8), .invalidHeader, "magic")
    try expectFailure("magic2.npy", Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x58, 1, 0, 0, 0]), .invalidHeader, "magic")
    try expectFailure("zip.npy", Data([0x50, 0x4B, 3, 4]), .invalidHeader, "magic")
  }

  @Test func truncated() throws {
    try expectFailure("empty.npy", Data(), .truncated, "too short")
    try expectFailure("prefix.npy", Data([0x93, 0x4E, 0x55]), .truncated, "too short")
    try expectFailure("nolength.npy", Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]), .truncated, "too short")
    try expectFailure("v2length.npy", Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0, 10, 0]), .truncated, "too short")
    try expectFailure(
      "header.npy", npyBytes(header: Self.validDict, declaredLength: 500), .truncated, "past the end", "500")
    try expectFailure(
      "header2.npy", npyBytes(major: 2, header: Self.validDict, declaredLength: Int(UInt32.max)), .truncated,
      "past the end")
  }

  @Test func unsupportedVersion() throws {
    try expectFailure(
      "v4.npy", npyBytes(major: 4, header: Self.validDict, data: Self.floats48), .invalidHeader, "version 4.0")
  }

  @Test func unparseableDict() throws {
    let broken = [
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4}",
      "{'descr': '<f4' 'fortran_order': False, 'shape': (3, 4)}",
      "{'descr': <f4, 'fortran_order': False, 'shape': (3, 4)}",
      "{'descr': '<f4', 'fortran_order': false, 'shape': (3, 4)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4)} junk",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3.0, 4)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,)}",
      "{'descr': '<f4, 'fortran_order': False, 'shape': (3, 4)}",
      String(repeating: "(", count: 10_000),
      "",
    ]
    for (index, dict) in broken.enumerated() {
      try expectFailure("dict\(index).npy", npyBytes(header: dict, data: Self.floats48), .invalidHeader, "header")
    }
  }

  @Test func wrongDictContents() throws {
    try expectFailure(
      "nokey.npy", npyBytes(header: "{'descr': '<f4', 'fortran_order': False}", data: Self.floats48),
      .invalidHeader, "no 'shape' key")
    try expectFailure("list.npy", npyBytes(header: "['<f4', False, (3, 4)]"), .invalidHeader, "not a dict")
    try expectFailure(
      "order.npy", npyBytes(header: "{'descr': '<f4', 'fortran_order': 0, 'shape': (3, 4)}", data: Self.floats48),
      .invalidHeader, "fortran_order")
    try expectFailure(
      "shapelist.npy",
      npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': [3, 4]}", data: Self.floats48),
      .invalidShape, "not a tuple")
    try expectFailure(
      "shapeint.npy", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (12)}", data: Self.floats48),
      .invalidShape, "not a tuple")
    try expectFailure(
      "negative.npy", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (-3, 4)}"),
      .invalidShape, "negative")
    try expectFailure(
      "overflow.npy",
      npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}"),
      .invalidShape, "overflow")
  }

  @Test func shapeDoesNotMatchData() throws {
    try expectFailure(
      "short.npy", npyBytes(header: Self.validDict, data: .init(repeating: 0, count: 40)),
      .sizeMismatch, "needs 48 bytes", "has 40")
    try expectFailure(
      "long.npy", npyBytes(header: Self.validDict, data: .init(repeating: 0, count: 52)),
      .sizeMismatch, "(3, 4)", "needs 48 bytes")
  }

  @Test func bigEndian() throws {
    let dict = "{'descr': '>f4', 'fortran_order': False, 'shape': (3, 4), }"
    try expectFailure(
      "big.npy", npyBytes(header: dict, data: Self.floats48), .unsupportedByteOrder, "big-endian", ">f4")
    // Single-byte types have no byte order, whatever the character says.
    let bytes = npyBytes(header: "{'descr': '>u1', 'fortran_order': False, 'shape': (2,)}", data: [1, 2])
    #expect(try NumPyFile.read(directory.file("u1.npy", bytes)).integers(as: Int.self) == [1, 2])
  }

  @Test func unsupportedDType() throws {
    for (index, descr) in ["'<c8'", "'<U5'", "'|O'", "'<f16'", "'x'", "''", "[('a', '<f4')]", "3"].enumerated() {
      let dict = "{'descr': \(descr), 'fortran_order': False, 'shape': (2,)}"
      try expectFailure(
        "dtype\(index).npy", npyBytes(header: dict, data: .init(repeating: 0, count: 16)), .unsupportedDType, "dtype")
    }
  }

  @Test func npzMissingFile() {
    let url = directory.url.appendingPathComponent("absent.npz")
    expectIOError(.fileNotFound, mentioning: "not found", file: "absent.npz") { _ = try NumPyArchive.read(url) }
  }

  @Test func npzNotAZip() throws {
    let url = try directory.file("text.npz", Data("this is not a zip archive at all".utf8))
    expectIOError(.invalidArchive, mentioning: "zip", file: "text.npz") { _ = try NumPyArchive.read(url) }
    let empty = try directory.file("empty.npz", Data())
    expectIOError(.invalidArchive, mentioning: "zip", file: "empty.npz") { _ = try NumPyArchive.read(empty) }
  }

  @Test func npzWithCorruptEntry() throws {
    // A valid zip whose member is not a valid .npy file.
    let source = directory.url.appendingPathComponent("good.npz")
    try NumPyArchive.write([("w", try StoredArray(shape: [2], integers: [Int32(1), 2]))], to: source)
    var bytes = try Data(contentsOf: source)
    let magic = try #require(bytes.firstRange(of: Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59])))
    let headerText = try #require(bytes.firstRange(of: Data("'<i4'".utf8)))
    bytes.replaceSubrange(headerText, with: Data("'>i4'".utf8))
    // Keep the CRC valid by recomputing nothing: the checksum test below covers CRC failures,
    // so here patch the CRC fields to match the edited member.
    let crc = crc32(bytes[magic.lowerBound..<(magic.lowerBound + 136)])
    patchCRC(&bytes, crc)
    let url = try directory.file("badentry.npz", bytes)
    expectIOError(.unsupportedByteOrder, mentioning: "entry 'w.npy'", "big-endian", file: "badentry.npz") {
      _ = try NumPyArchive.read(url)
    }
  }

  @Test func npzChecksumMismatch() throws {
    var bytes = try Data(contentsOf: fixtureURL("stored.npz"))
    let magic = try #require(bytes.firstRange(of: Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59])))
    bytes[magic.lowerBound + 130] ^= 0x40  // inside the first member's array data
    let url = try directory.file("crc.npz", bytes)
    expectIOError(.invalidArchive, mentioning: "checksum", "weight.npy", file: "crc.npz") { _ = try NumPyArchive.read(url) }
  }

  @Test func npzTruncated() throws {
    let bytes = try Data(contentsOf: fixtureURL("compressed.npz"))
    for length in stride(from: 0, to: bytes.count, by: 7) {
      let url = try directory.file("cut\(length).npz", bytes.prefix(length))
      let error = #expect(throws: TensorIOError.self) { _ = try NumPyArchive.read(url) }
      #expect(error?.description.contains("cut\(length).npz") == true)
    }
  }

  @Test func npzMissingName() throws {
    let archive = try NumPyArchive.read(fixtureURL("stored.npz"))
    expectIOError(.missingName, mentioning: "no array named 'nope'", "weight", file: "stored.npz") {
      _ = try archive.array(named: "nope")
    }
  }

  /// CRC-32 (IEEE) of `bytes`.
  func crc32(_ bytes: Data) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  /// Writes `crc` into the local header (offset 14) and central directory entry (offset 16) of
  /// the first member of a single-member zip.
  func patchCRC(_ bytes: inout Data, _ crc: UInt32) {
    let value = withUnsafeBytes(of: crc.littleEndian) { Data($0) }
    bytes.replaceSubrange(14..<18, with: value)
    if let central = bytes.firstRange(of: Data([0x50, 0x4B, 0x01, 0x02])) {
      bytes.replaceSubrange((central.lowerBound + 16)..<(central.lowerBound + 20), with: value)
    }
  }
}
