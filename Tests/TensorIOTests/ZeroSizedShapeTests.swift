import Foundation
import Testing

@testable import TensorIO

/// Shapes with a zero extent but huge other extents must not trap when converted to tensors.
@Suite("Zero-sized shapes")
struct ZeroSizedShapeTests {
  @Test func hugeZeroSizedSafetensors() throws {
    let directory = try TemporaryDirectory()
    let leadingZero = "{\"t\":{\"dtype\":\"F32\",\"shape\":[0,4611686018427387904,4],\"data_offsets\":[0,0]}}"
    let url = try directory.file("zero.safetensors", safetensorsBytes(header: leadingZero))
    #expect(try SafetensorsFile.read(url).tensor(named: "t", as: Float.self).count == 0)
    let trailingZero = "{\"t\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4,0],\"data_offsets\":[0,0]}}"
    let bad = try directory.file("overflow.safetensors", safetensorsBytes(header: trailingZero))
    expectIOError(.invalidShape, mentioning: "overflow", file: "overflow.safetensors") { _ = try SafetensorsFile.read(bad) }
  }

  @Test func hugeZeroSizedNpy() throws {
    let directory = try TemporaryDirectory()
    let url = try directory.file(
      "zero.npy", npyBytes(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (0, 4611686018427387904, 4)}"))
    let array = try NumPyFile.read(url)
    #expect(array.tensor(as: Double.self).scalars.isEmpty)
  }
}
