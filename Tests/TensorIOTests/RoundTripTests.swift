import Foundation
import Tensors
import Testing

@testable import TensorIO

/// Write -> read for every dtype in every format.
@Suite("Round trips")
struct RoundTripTests {
  /// A 2x3 array of `dtype` holding that dtype's extreme and ordinary values.
  static func sample(_ dtype: DType) throws -> StoredArray {
    let shape = [2, 3]
    switch dtype {
    case .float16, .bfloat16:
      return try StoredArray(Tensor<Float>(shape: shape, scalars: [0, 1, -2, 0.5, -0.25, .infinity]), as: dtype)
    case .float32:
      return StoredArray(
        Tensor<Float>(shape: shape, scalars: [0, 1.1, -2, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .nan]))
    case .float64:
      return StoredArray(
        Tensor<Double>(shape: shape, scalars: [0, 0.1, -2e300, .pi, .leastNonzeroMagnitude, -.infinity]))
    case .int8: return try StoredArray(shape: shape, integers: [Int8.min, Int8.max, 0, -1, 1, 42])
    case .int16: return try StoredArray(shape: shape, integers: [Int16.min, Int16.max, 0, -1, 1, 42])
    case .int32: return try StoredArray(shape: shape, integers: [Int32.min, Int32.max, 0, -1, 1, 42])
    case .int64: return try StoredArray(shape: shape, integers: [Int64.min, Int64.max, 0, -1, 1, 42])
    case .uint8: return try StoredArray(shape: shape, integers: [UInt8.min, UInt8.max, 0, 7, 1, 42])
    case .uint16: return try StoredArray(shape: shape, integers: [UInt16.min, UInt16.max, 0, 7, 1, 42])
    case .uint32: return try StoredArray(shape: shape, integers: [UInt32.min, UInt32.max, 0, 7, 1, 42])
    case .uint64: return try StoredArray(shape: shape, integers: [UInt64.min, UInt64.max, 0, 7, 1, 42])
    case .bool: return try StoredArray(shape: shape, booleans: [true, false, false, true, true, false])
    }
  }

  /// Every dtype as a 2x3 sample, a scalar and an empty array.
  static func allArrays(excluding excluded: Set<DType> = []) throws -> [(String, StoredArray)] {
    var arrays: [(String, StoredArray)] = []
    for dtype in DType.allCases where !excluded.contains(dtype) {
      let sample = try sample(dtype)
      arrays.append(("\(dtype.rawValue.lowercased()).sample", sample))
      let scalarBytes = sample.bytes.prefix(dtype.byteCount)
      arrays.append(
        ("\(dtype.rawValue.lowercased()).scalar", try StoredArray(dtype: dtype, shape: [], bytes: Data(scalarBytes))))
      arrays.append(
        ("\(dtype.rawValue.lowercased()).empty", try StoredArray(dtype: dtype, shape: [0, 3], bytes: Data())))
    }
    return arrays
  }

  @Test("safetensors: every dtype, scalars, empties and metadata")
  func safetensors() throws {
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("all.safetensors")
    let arrays = try Self.allArrays()
    let metadata = ["format": "pt", "quote\"and\\slash": "line\nbreak \u{1} ünïcode 🚀"]
    try SafetensorsFile.write(arrays, metadata: metadata, to: url)
    let file = try SafetensorsFile.read(url)
    #expect(file.names == arrays.map(\.0))
    #expect(file.metadata == metadata)
    for (name, array) in arrays {
      #expect(file[name] == array, "\(name)")
    }
    // The header is padded so the data buffer starts 8-byte aligned.
    let bytes = try Data(contentsOf: url)
    let headerLength = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
    #expect(headerLength % 8 == 0)
    #expect(try directory.contents() == ["all.safetensors"], "no temporary file left behind")
  }

  @Test(".npy: every NumPy dtype", arguments: DType.allCases.filter { $0 != .bfloat16 })
  func npy(dtype: DType) throws {
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("\(dtype).npy")
    for array in try [
      Self.sample(dtype), StoredArray(dtype: dtype, shape: [], bytes: Self.sample(dtype).bytes.prefix(dtype.byteCount)),
    ] {
      try NumPyFile.write(array, to: url)
      #expect(try NumPyFile.read(url) == array)
      let bytes = try Data(contentsOf: url)
      #expect(bytes.prefix(8) == Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]))
      #expect((bytes.count - array.bytes.count) % 64 == 0, "header padded to 64 bytes")
    }
    #expect(try directory.contents() == ["\(dtype).npy"])
  }

  @Test(".npy header text is what NumPy writes")
  func npyHeaderText() throws {
    let header = try NumPyHeader.encoded(dtype: .float32, shape: [3, 4], path: nil)
    let text = try #require(String(data: header.dropFirst(10), encoding: .ascii))
    #expect(text.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"))
    #expect(text.hasSuffix(" \n"))
    let vector = try NumPyHeader.encoded(dtype: .bool, shape: [5], path: nil)
    #expect(
      String(decoding: vector, as: UTF8.self).contains("'descr': '|b1', 'fortran_order': False, 'shape': (5,), }"))
    let scalar = try NumPyHeader.encoded(dtype: .int64, shape: [], path: nil)
    #expect(String(decoding: scalar, as: UTF8.self).contains("'shape': (), }"))
  }

  @Test(".npy switches to version 2.0 when the header does not fit 64 KiB")
  func npyVersion2() throws {
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("wide.npy")
    let array = try StoredArray(shape: [Int](repeating: 1, count: 30_000), integers: [Int32(7)])
    try NumPyFile.write(array, to: url)
    #expect(try Data(contentsOf: url)[6] == 2)
    #expect(try NumPyFile.read(url) == array)
  }

  @Test("BF16 cannot be written to .npy or .npz")
  func bfloat16InNumPy() throws {
    let directory = try TemporaryDirectory()
    let array = try Self.sample(.bfloat16)
    expectIOError(.unsupportedDType, mentioning: "BF16", file: "b.npy") {
      try NumPyFile.write(array, to: directory.url.appendingPathComponent("b.npy"))
    }
    expectIOError(.unsupportedDType, mentioning: "BF16", file: "b.npz") {
      try NumPyArchive.write([("b", array)], to: directory.url.appendingPathComponent("b.npz"))
    }
    #expect(try directory.contents().isEmpty)
  }

  @Test(".npz stored and compressed: every NumPy dtype", arguments: [false, true])
  func npz(compressed: Bool) throws {
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("all.npz")
    var arrays = try Self.allArrays(excluding: [.bfloat16])
    // A larger array so deflate works over several chunks.
    arrays.append(
      ("big", StoredArray(Tensor<Double>(shape: [100, 300], scalars: (0..<30_000).map { Double($0 % 97) * 0.25 }))))
    try NumPyArchive.write(arrays, to: url, compressed: compressed)
    let archive = try NumPyArchive.read(url)
    #expect(archive.names == arrays.map(\.0))
    for (name, array) in arrays {
      #expect(archive[name] == array, "\(name)")
    }
    let size = try Data(contentsOf: url).count
    #expect(compressed ? size < 100_000 : size > 240_000)
    #expect(try directory.contents() == ["all.npz"])
  }

  @Test("Tensor<Float> and Tensor<Double> round-trip exactly through every format")
  func tensors() throws {
    let directory = try TemporaryDirectory()
    let float = Tensor<Float>(shape: [2, 2], scalars: [1.5, -0.1, 3e38, 0x1p-140])
    let double = Tensor<Double>(shape: [3], scalars: [0.1, -0x1p-1030, 2e300])
    #expect(StoredArray(float).dtype == .float32)
    #expect(StoredArray(double).dtype == .float64)

    let st = directory.url.appendingPathComponent("t.safetensors")
    try SafetensorsFile.write([("f", StoredArray(float)), ("d", StoredArray(double))], to: st)
    let file = try SafetensorsFile.read(st)
    #expect(try file.tensor(named: "f", as: Float.self) == float)
    #expect(try file.tensor(named: "d", as: Double.self) == double)
    #expect(file.metadata.isEmpty)

    let npy = directory.url.appendingPathComponent("t.npy")
    try NumPyFile.write(StoredArray(float), to: npy)
    #expect(try NumPyFile.read(npy).tensor(as: Float.self) == float)

    let npz = directory.url.appendingPathComponent("t.npz")
    try NumPyArchive.write([("d", StoredArray(double))], to: npz, compressed: true)
    #expect(try NumPyArchive.read(npz).tensor(named: "d", as: Double.self) == double)
  }

  @Test("writing replaces an existing file atomically")
  func atomicReplace() throws {
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("w.safetensors")
    try SafetensorsFile.write([("a", StoredArray(Tensor<Float>([1, 2, 3])))], to: url)
    let first = try SafetensorsFile.read(url)
    try SafetensorsFile.write([("b", StoredArray(Tensor<Float>([4])))], to: url)
    #expect(try SafetensorsFile.read(url).names == ["b"])
    // The array read before the replacement still holds the old data.
    #expect(try first.tensor(named: "a", as: Float.self).scalars == [1, 2, 3])
    #expect(try directory.contents() == ["w.safetensors"])
  }

  @Test("writing into a missing directory fails with the path")
  func writeFailure() throws {
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("missing/x.safetensors")
    expectIOError(.fileAccess, mentioning: "cannot be written", file: "missing/x.safetensors") {
      try SafetensorsFile.write([("a", StoredArray(Tensor<Float>([1])))], to: url)
    }
    expectIOError(.fileAccess, mentioning: "cannot be written", file: "missing/x.npy") {
      try NumPyFile.write(StoredArray(Tensor<Float>([1])), to: directory.url.appendingPathComponent("missing/x.npy"))
    }
    expectIOError(.fileAccess, mentioning: "cannot be written", file: "missing/x.npz") {
      try NumPyArchive.write(
        [("a", StoredArray(Tensor<Float>([1])))], to: directory.url.appendingPathComponent("missing/x.npz"))
    }
  }

  @Test("writers reject duplicate and reserved names")
  func writerArguments() throws {
    let directory = try TemporaryDirectory()
    let array = StoredArray(Tensor<Float>([1]))
    expectIOError(.invalidArgument, mentioning: "twice", file: "d.safetensors") {
      try SafetensorsFile.write(
        [("a", array), ("a", array)], to: directory.url.appendingPathComponent("d.safetensors"))
    }
    expectIOError(.invalidArgument, mentioning: "reserved", file: "r.safetensors") {
      try SafetensorsFile.write([("__metadata__", array)], to: directory.url.appendingPathComponent("r.safetensors"))
    }
    expectIOError(.invalidArgument, mentioning: "twice", file: "d.npz") {
      try NumPyArchive.write([("a", array), ("a", array)], to: directory.url.appendingPathComponent("d.npz"))
    }
    #expect(try directory.contents().isEmpty)
  }
}
