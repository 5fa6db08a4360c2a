import Foundation
import Testing

@testable import TensorIO

/// Each malformed safetensors file gives a `TensorIOError` naming the file and the problem.
@Suite("Corrupt safetensors files")
struct SafetensorsCorruptionTests {
  let directory: TemporaryDirectory

  init() throws { directory = try TemporaryDirectory() }

  /// Writes `bytes` as `name` and expects reading it to fail with `kind` and `words`.
  func expectFailure(
    _ name: String, _ bytes: Data, _ kind: TensorIOError.Kind, _ words: String...,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = try directory.file(name, bytes)
    let error = #expect(throws: TensorIOError.self, sourceLocation: sourceLocation) {
      try SafetensorsFile.read(url)
    }
    guard let error else { return }
    #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
    #expect(error.description.contains(url.path), "\(error)", sourceLocation: sourceLocation)
    for word in words {
      #expect(error.description.lowercased().contains(word.lowercased()), "\(error)", sourceLocation: sourceLocation)
    }
  }

  /// A one-tensor header with the given field texts.
  func entry(dtype: String = "\"F32\"", shape: String = "[2]", offsets: String = "[0,8]") -> String {
    "{\"t\":{\"dtype\":\(dtype),\"shape\":\(shape),\"data_offsets\":\(offsets)}}"
  }

  @Test func missingFile() {
    let url = directory.url.appendingPathComponent("absent.safetensors")
    expectIOError(.fileNotFound, mentioning: "not found", file: "absent.safetensors") { _ = try SafetensorsFile.read(url) }
  }

  @Test func directoryInsteadOfFile() throws {
    expectIOError(.fileAccess, mentioning: "directory", file: directory.url.lastPathComponent) {
      _ = try SafetensorsFile.read(directory.url)
    }
  }

  @Test func shorterThanEightBytes() throws {
    try expectFailure("short.safetensors", Data([1, 2, 3]), .truncated, "too short", "3 bytes")
    try expectFailure("empty.safetensors", Data(), .truncated, "too short")
  }

  @Test func headerRunsPastEnd() throws {
    try expectFailure(
      "past.safetensors", safetensorsBytes(header: "{}", declaredLength: 1000), .truncated, "past the end", "1000")
  }

  @Test func headerAbsurdlyLarge() throws {
    try expectFailure(
      "huge.safetensors", safetensorsBytes(header: "{}", declaredLength: 1 << 62), .invalidHeader, "absurdly large")
    try expectFailure(
      "max.safetensors", safetensorsBytes(header: "{}", declaredLength: .max), .invalidHeader, "absurdly large")
  }

  @Test func headerNotJSON() throws {
    try expectFailure("json.safetensors", safetensorsBytes(header: "{\"t\": "), .invalidHeader, "not valid JSON")
    try expectFailure("trailing.safetensors", safetensorsBytes(header: "{} x"), .invalidHeader, "not valid JSON")
    var badUTF8 = safetensorsBytes(header: "{\"\u{E9}\":1}")
    badUTF8[10] = 0xFF
    try expectFailure("badutf8.safetensors", badUTF8, .invalidHeader, "UTF-8")
  }

  @Test func deeplyNestedHeaderDoesNotCrash() throws {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    try expectFailure("deep.safetensors", safetensorsBytes(header: deep), .invalidHeader, "nesting")
  }

  @Test func headerNotAnObject() throws {
    try expectFailure("array.safetensors", safetensorsBytes(header: "[1, 2]"), .invalidHeader, "not a JSON object")
    try expectFailure("string.safetensors", safetensorsBytes(header: "\"x\"  "), .invalidHeader, "not a JSON object")
    try expectFailure(
      "entry.safetensors", safetensorsBytes(header: "{\"t\": [1]}"), .invalidHeader, "'t'", "not an object")
  }

  @Test func unknownDType() throws {
    try expectFailure(
      "dtype.safetensors", safetensorsBytes(header: entry(dtype: "\"F8_E9\""), buffer: .init(repeating: 0, count: 8)),
      .unsupportedDType, "unknown dtype", "F8_E9")
    try expectFailure(
      "nodtype.safetensors", safetensorsBytes(header: entry(dtype: "4"), buffer: .init(repeating: 0, count: 8)),
      .invalidHeader, "dtype")
  }

  @Test func negativeShape() throws {
    try expectFailure(
      "negative.safetensors", safetensorsBytes(header: entry(shape: "[-1, 2]"), buffer: .init(repeating: 0, count: 8)),
      .invalidShape, "negative", "shape")
  }

  @Test func nonIntegerShape() throws {
    for (index, shape) in ["[2.5]", "[2.0]", "[\"2\"]", "[null]", "[1e1]", "2", "{}"].enumerated() {
      try expectFailure(
        "fraction\(index).safetensors",
        safetensorsBytes(header: entry(shape: shape), buffer: .init(repeating: 0, count: 8)), .invalidShape, "shape")
    }
  }

  @Test func shapeOverflow() throws {
    let shape = "[4611686018427387904, 4611686018427387904]"
    try expectFailure(
      "overflow.safetensors", safetensorsBytes(header: entry(shape: shape), buffer: .init(repeating: 0, count: 8)),
      .invalidShape, "overflow")
    try expectFailure(
      "bigint.safetensors",
      safetensorsBytes(header: entry(shape: "[99999999999999999999999]"), buffer: .init(repeating: 0, count: 8)),
      .invalidShape, "shape")
  }

  @Test func dataOffsetsNotTwoIntegers() throws {
    for (index, offsets) in ["[0]", "[0, 4, 8]", "[0, \"8\"]", "[0, 8.0]", "[-8, 0]", "null", "\"0-8\""].enumerated() {
      try expectFailure(
        "offsets\(index).safetensors",
        safetensorsBytes(header: entry(offsets: offsets), buffer: .init(repeating: 0, count: 8)),
        .invalidOffsets, "data_offsets", "two non-negative integers")
    }
    try expectFailure(
      "nooffsets.safetensors", safetensorsBytes(header: "{\"t\":{\"dtype\":\"F32\",\"shape\":[]}}"),
      .invalidOffsets, "data_offsets")
  }

  @Test func beginAfterEnd() throws {
    try expectFailure(
      "reversed.safetensors", safetensorsBytes(header: entry(offsets: "[8, 0]"), buffer: .init(repeating: 0, count: 8)),
      .invalidOffsets, "begin 8 after end 0")
  }

  @Test func offsetsLeaveBuffer() throws {
    try expectFailure(
      "outside.safetensors", safetensorsBytes(header: entry(offsets: "[4, 12]"), buffer: .init(repeating: 0, count: 8)),
      .invalidOffsets, "outside the data buffer of 8 bytes")
    try expectFailure(
      "far.safetensors",
      safetensorsBytes(header: entry(offsets: "[9223372036854775800, 9223372036854775807]")),
      .invalidOffsets, "outside")
  }

  @Test func byteCountMismatch() throws {
    try expectFailure(
      "mismatch.safetensors",
      safetensorsBytes(header: entry(shape: "[3]", offsets: "[0, 8]"), buffer: .init(repeating: 0, count: 8)),
      .sizeMismatch, "needs 12 bytes", "span 8")
  }

  @Test func overlappingTensors() throws {
    let header =
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
      + "\"b\":{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[4,12]}}"
    try expectFailure(
      "overlap.safetensors", safetensorsBytes(header: header, buffer: .init(repeating: 0, count: 12)),
      .overlappingData, "overlap", "'a'", "'b'")
  }

  @Test func duplicateNames() throws {
    let header =
      "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
      + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}"
    try expectFailure(
      "dup.safetensors", safetensorsBytes(header: header, buffer: [1, 2]), .invalidHeader, "appears twice")
  }

  @Test func metadataNotStrings() throws {
    try expectFailure(
      "meta.safetensors", safetensorsBytes(header: "{\"__metadata__\":{\"epochs\":3}}"),
      .invalidMetadata, "'epochs'", "not a string")
    try expectFailure(
      "metaarray.safetensors", safetensorsBytes(header: "{\"__metadata__\":[\"x\"]}"),
      .invalidMetadata, "not an object")
  }

  @Test func missingTensorName() throws {
    let url = try fixtureURL("mixed.safetensors")
    let file = try SafetensorsFile.read(url)
    #expect(file["nope"] == nil)
    expectIOError(.missingName, mentioning: "no tensor named 'nope'", "scale", file: "mixed.safetensors") {
      _ = try file.tensor(named: "nope", as: Float.self)
    }
  }

  @Test func emptyAndZeroSizedTensorsAreFine() throws {
    let header =
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[4,4]},"
      + "\"b\":{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[0,8]}}"
    let url = try directory.file(
      "zero.safetensors", safetensorsBytes(header: header, buffer: .init(repeating: 7, count: 8)))
    let file = try SafetensorsFile.read(url)
    #expect(file.names == ["a", "b"])
    #expect(file["a"]?.count == 0)
    #expect(try file.array(named: "b").integers(as: Int.self) == .init(repeating: 7, count: 8))
  }
}
