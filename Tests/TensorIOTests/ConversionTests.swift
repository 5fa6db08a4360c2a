import Foundation
import Tensors
import Testing

@testable import TensorIO

/// Conversions between dtypes: F16/BF16 rounding, integer extraction and validation.
@Suite("Element conversions")
struct ConversionTests {
  @Test("half-precision decoding is exact for known values")
  func halfDecoding() {
    #expect(HalfPrecision.float(fromHalf: 0x3C00) == 1)
    #expect(HalfPrecision.float(fromHalf: 0xC000) == -2)
    #expect(HalfPrecision.float(fromHalf: 0x7BFF) == 65504)
    #expect(HalfPrecision.float(fromHalf: 0x0001) == 0x1p-24)
    #expect(HalfPrecision.float(fromHalf: 0x03FF) == 0x1.ff8p-15)
    #expect(HalfPrecision.float(fromHalf: 0x7C00) == .infinity)
    #expect(HalfPrecision.float(fromHalf: 0xFC00) == -.infinity)
    #expect(HalfPrecision.float(fromHalf: 0x7E00).isNaN)
    #expect(HalfPrecision.float(fromHalf: 0x8000).sign == .minus)
  }

  @Test("half-precision encoding rounds to nearest even")
  func halfEncoding() {
    #expect(HalfPrecision.halfBits(from: 1) == 0x3C00)
    #expect(HalfPrecision.halfBits(from: 1 + 0x1p-11) == 0x3C00)  // tie -> even
    #expect(HalfPrecision.halfBits(from: 1 + 3 * 0x1p-11) == 0x3C02)  // tie -> even (up)
    #expect(HalfPrecision.halfBits(from: 65504) == 0x7BFF)
    #expect(HalfPrecision.halfBits(from: 65519) == 0x7BFF)
    #expect(HalfPrecision.halfBits(from: 65520) == 0x7C00)  // rounds to infinity
    #expect(HalfPrecision.halfBits(from: 0x1p-24) == 0x0001)
    #expect(HalfPrecision.halfBits(from: 0x1p-25) == 0x0000)  // tie -> even (zero)
    #expect(HalfPrecision.halfBits(from: 0x1.8p-25) == 0x0001)
    #expect(HalfPrecision.halfBits(from: 0x1p-14 - 0x1p-25) == 0x0400)  // rounds up into the normals
    #expect(HalfPrecision.halfBits(from: -0.0) == 0x8000)
    #expect(HalfPrecision.halfBits(from: .nan) & 0x7C00 == 0x7C00)
    #expect(HalfPrecision.halfBits(from: .nan) & 0x03FF != 0)
  }

  #if !(os(macOS) && arch(x86_64))
    @Test("half precision agrees with Float16 for every bit pattern and midpoint")
    func halfExhaustive() {
      var mismatches = 0
      for bits in UInt16.min...UInt16.max {
        let reference = Float(Float16(bitPattern: bits))
        let decoded = HalfPrecision.float(fromHalf: bits)
        if reference.isNaN ? !decoded.isNaN : reference.bitPattern != decoded.bitPattern { mismatches += 1 }
        guard reference.isFinite else { continue }
        // The value itself, and the midpoint to the next half towards +infinity.
        let next = Float(Float16(bitPattern: bits).nextUp)
        for value in [reference, (reference + next) / 2, reference.nextUp, reference.nextDown] where value.isFinite {
          if HalfPrecision.halfBits(from: value) != Float16(value).bitPattern { mismatches += 1 }
        }
      }
      #expect(mismatches == 0)
    }
  #endif

  @Test("bfloat16 encoding rounds to nearest even")
  func bfloat16() {
    #expect(HalfPrecision.bfloat16Bits(from: 1) == 0x3F80)
    #expect(HalfPrecision.bfloat16Bits(from: 1 + 0x1p-8) == 0x3F80)  // tie -> even
    #expect(HalfPrecision.bfloat16Bits(from: 1 + 3 * 0x1p-8) == 0x3F82)
    #expect(HalfPrecision.bfloat16Bits(from: 1 + 0x1p-8 + 0x1p-20) == 0x3F81)
    #expect(HalfPrecision.bfloat16Bits(from: .greatestFiniteMagnitude) == 0x7F80)
    #expect(HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16Bits(from: .nan)).isNaN)
    #expect(HalfPrecision.float(fromBFloat16: 0xC020) == -2.5)
  }

  @Test("Double narrows to F16 and BF16 with a single rounding")
  func doubleRounding() throws {
    // Just above a half-precision midpoint; rounding through Float first would land on the tie.
    let half = try StoredArray(Tensor<Double>([1 + 0x1p-11 + 0x1p-40]), as: .float16)
    #expect(half.bytes == Data([0x01, 0x3C]))
    let brain = try StoredArray(Tensor<Double>([1 + 0x1p-8 + 0x1p-40]), as: .bfloat16)
    #expect(brain.bytes == Data([0x81, 0x3F]))
  }

  @Test("every dtype converts to Float and Double tensors")
  func toTensors() throws {
    for dtype in DType.allCases {
      let array = try RoundTripTests.sample(dtype)
      let doubles = array.tensor(as: Double.self)
      #expect(doubles.shape == [2, 3])
      if !dtype.isFloatingPoint && dtype != .uint64 {
        let integers = try array.integers(as: Int64.self).map(Double.init)
        #expect(doubles.scalars == integers, "\(dtype)")
      }
      #expect(array.tensor(as: Float.self).shape == [2, 3])
    }
    #expect(try StoredArray(shape: [2], integers: [UInt64.max, 3]).tensor(as: Double.self).scalars == [0x1p64, 3])
  }

  @Test("integer extraction checks range and kind")
  func integers() throws {
    let wide = try StoredArray(shape: [2], integers: [Int64(300), -1])
    #expect(try wide.integers(as: Int16.self) == [300, -1])
    #expect(throws: TensorIOError.self) { try wide.integers(as: UInt8.self) }
    #expect(throws: TensorIOError.self) { try StoredArray(Tensor<Float>([1])).integers(as: Int.self) }
    #expect(try StoredArray(shape: [3], booleans: [true, false, true]).integers(as: UInt8.self) == [1, 0, 1])
    #expect(try StoredArray(shape: [1], integers: [Int(7)]).dtype == .int64)
  }

  @Test("storing tensors as integer dtypes needs exact values")
  func exactIntegers() throws {
    let stored = try StoredArray(Tensor<Double>([1, -2, 3]), as: .int32)
    #expect(try stored.integers(as: Int.self) == [1, -2, 3])
    #expect(throws: TensorIOError.self) { try StoredArray(Tensor<Double>([1.5]), as: .int32) }
    #expect(throws: TensorIOError.self) { try StoredArray(Tensor<Double>([256]), as: .uint8) }
    #expect(throws: TensorIOError.self) { try StoredArray(Tensor<Float>([.nan]), as: .int64) }
    #expect(throws: TensorIOError.self) { try StoredArray(Tensor<Float>([2]), as: .bool) }
    #expect(throws: TensorIOError.self) { try StoredArray(shape: [1], integers: [Int32(300)], as: .int8) }
    #expect(
      try StoredArray(shape: [2], integers: [Int32(3), -1], as: .float16).tensor(as: Float.self).scalars == [3, -1])
  }

  @Test("raw initializer validates byte counts and shapes")
  func rawInitializer() throws {
    #expect(throws: TensorIOError.self) { try StoredArray(dtype: .float32, shape: [3], bytes: Data(count: 8)) }
    #expect(throws: TensorIOError.self) { try StoredArray(dtype: .float32, shape: [-1], bytes: Data()) }
    #expect(throws: TensorIOError.self) { try StoredArray(dtype: .float64, shape: [1 << 40, 1 << 40], bytes: Data()) }
    #expect(throws: TensorIOError.self) { try StoredArray(shape: [3], integers: [Int8(1)]) }
    // Zero-sized, but the running product overflows before reaching the zero: rejected, because
    // Tensor computes the same product and would trap.
    #expect(throws: TensorIOError.self) { try StoredArray(dtype: .uint8, shape: [1 << 62, 1 << 62, 0], bytes: Data()) }
    let empty = try StoredArray(dtype: .uint8, shape: [0, 1 << 62, 1 << 62], bytes: Data())
    #expect(empty.count == 0)
    #expect(empty.tensor(as: Float.self).shape == [0, 1 << 62, 1 << 62])
  }
}
