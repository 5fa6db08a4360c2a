import Foundation
import Tensors

extension StoredArray {
  /// Stores a tensor in its own precision: F32 for `Tensor<Float>`, F64 for `Tensor<Double>`.
  public init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) {
    let dtype: DType = Scalar.self == Float.self ? .float32 : .float64
    // Converting a float tensor to F32 or F64 never fails.
    let bytes = (try? Self.encode(floats: tensor.scalars, as: dtype)) ?? Data()
    self.init(unchecked: dtype, shape: tensor.shape, bytes: bytes)
  }

  /// Stores a tensor converted to `dtype`.
  ///
  /// Narrowing float conversions (to F16, BF16, F32) round to nearest, ties to even, and may
  /// overflow to infinity. Integer and BOOL dtypes need every element to be exactly representable.
  ///
  /// - Throws: ``TensorIOError`` naming the first element that is not representable.
  public init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>, as dtype: DType) throws {
    let bytes = try Self.encode(floats: tensor.scalars, as: dtype)
    self.init(unchecked: dtype, shape: tensor.shape, bytes: bytes)
  }

  /// Stores integers, as `dtype` or, when `dtype` is `nil`, as the dtype matching `T`
  /// (`Int32` as I32, `UInt8` as U8, `Int` as I64, ...).
  ///
  /// - Throws: ``TensorIOError`` when `integers.count` does not match `shape`, `T` has no matching
  ///   dtype, or a value is not representable in an integer `dtype`.
  public init<T: FixedWidthInteger>(shape: [Int], integers: [T], as dtype: DType? = nil) throws {
    let target = try dtype ?? Self.dtype(matching: T.self)
    try Self.checkCount(integers.count, shape: shape, dtype: target)
    let bytes = try Self.encode(integers: integers, as: target)
    self.init(unchecked: target, shape: shape, bytes: bytes)
  }

  /// Stores booleans as BOOL, one byte (0 or 1) per element.
  ///
  /// - Throws: ``TensorIOError`` when `booleans.count` does not match `shape`.
  public init(shape: [Int], booleans: [Bool]) throws {
    try Self.checkCount(booleans.count, shape: shape, dtype: .bool)
    self.init(unchecked: .bool, shape: shape, bytes: Data(booleans.map { $0 ? 1 : 0 }))
  }

  private static func checkCount(_ count: Int, shape: [Int], dtype: DType) throws {
    let expected = try byteCount(dtype: dtype, shape: shape, path: nil) / dtype.byteCount
    guard count == expected else {
      throw TensorIOError(.sizeMismatch, path: nil, "shape \(shape) needs \(expected) elements, got \(count)")
    }
  }

  private static func dtype<T: FixedWidthInteger>(matching _: T.Type) throws -> DType {
    switch (T.isSigned, T.bitWidth) {
    case (true, 8): return .int8
    case (true, 16): return .int16
    case (true, 32): return .int32
    case (true, 64): return .int64
    case (false, 8): return .uint8
    case (false, 16): return .uint16
    case (false, 32): return .uint32
    case (false, 64): return .uint64
    default: throw TensorIOError(.invalidArgument, path: nil, "no dtype stores \(T.bitWidth)-bit integers")
    }
  }

  /// Little-endian bytes of `values` converted to `dtype`.
  static func encode<S: BinaryFloatingPoint>(floats values: [S], as dtype: DType) throws -> Data {
    let n = values.count
    var data = Data(count: n * dtype.byteCount)
    try data.withUnsafeMutableBytes { raw in
      func exact<T: FixedWidthInteger>(_ index: Int, _: T.Type) throws -> T {
        guard let value = T(exactly: values[index]) else {
          throw TensorIOError(
            .invalidArgument, path: nil,
            "element \(index) (\(values[index])) is not exactly representable as \(dtype)")
        }
        return value
      }
      switch dtype {
      case .float16:
        for i in 0..<n { raw.setElement(i, to: HalfPrecision.halfBits(from: narrowed(values[i]))) }
      case .bfloat16:
        for i in 0..<n { raw.setElement(i, to: HalfPrecision.bfloat16Bits(from: narrowed(values[i]))) }
      case .float32: for i in 0..<n { raw.setElement(i, to: Float(values[i]).bitPattern) }
      case .float64: for i in 0..<n { raw.setElement(i, to: Double(values[i]).bitPattern) }
      case .int8: for i in 0..<n { raw.setElement(i, to: try exact(i, Int8.self)) }
      case .int16: for i in 0..<n { raw.setElement(i, to: try exact(i, Int16.self)) }
      case .int32: for i in 0..<n { raw.setElement(i, to: try exact(i, Int32.self)) }
      case .int64: for i in 0..<n { raw.setElement(i, to: try exact(i, Int64.self)) }
      case .uint8: for i in 0..<n { raw.setElement(i, to: try exact(i, UInt8.self)) }
      case .uint16: for i in 0..<n { raw.setElement(i, to: try exact(i, UInt16.self)) }
      case .uint32: for i in 0..<n { raw.setElement(i, to: try exact(i, UInt32.self)) }
      case .uint64: for i in 0..<n { raw.setElement(i, to: try exact(i, UInt64.self)) }
      case .bool:
        for i in 0..<n {
          let value = try exact(i, UInt8.self)
          guard value <= 1 else {
            throw TensorIOError(.invalidArgument, path: nil, "element \(i) (\(values[i])) is not 0 or 1 for BOOL")
          }
          raw.setElement(i, to: value)
        }
      }
    }
    return data
  }

  /// Little-endian bytes of `values` converted to `dtype`.
  static func encode<T: FixedWidthInteger>(integers values: [T], as dtype: DType) throws -> Data {
    if dtype.isFloatingPoint {
      // Integers beyond 2^53 round to the nearest Double first, so a narrower float may round twice.
      return try encode(floats: values.map { Double($0) }, as: dtype)
    }
    let n = values.count
    var data = Data(count: n * dtype.byteCount)
    try data.withUnsafeMutableBytes { raw in
      func exact<U: FixedWidthInteger>(_ index: Int, _: U.Type) throws -> U {
        guard let value = U(exactly: values[index]) else {
          throw TensorIOError(
            .invalidArgument, path: nil, "element \(index) (\(values[index])) does not fit in \(dtype)")
        }
        return value
      }
      switch dtype {
      case .int8: for i in 0..<n { raw.setElement(i, to: try exact(i, Int8.self)) }
      case .int16: for i in 0..<n { raw.setElement(i, to: try exact(i, Int16.self)) }
      case .int32: for i in 0..<n { raw.setElement(i, to: try exact(i, Int32.self)) }
      case .int64: for i in 0..<n { raw.setElement(i, to: try exact(i, Int64.self)) }
      case .uint8: for i in 0..<n { raw.setElement(i, to: try exact(i, UInt8.self)) }
      case .uint16: for i in 0..<n { raw.setElement(i, to: try exact(i, UInt16.self)) }
      case .uint32: for i in 0..<n { raw.setElement(i, to: try exact(i, UInt32.self)) }
      case .uint64: for i in 0..<n { raw.setElement(i, to: try exact(i, UInt64.self)) }
      case .bool:
        for i in 0..<n {
          let value = try exact(i, UInt8.self)
          guard value <= 1 else {
            throw TensorIOError(.invalidArgument, path: nil, "element \(i) (\(values[i])) is not 0 or 1 for BOOL")
          }
          raw.setElement(i, to: value)
        }
      case .float16, .bfloat16, .float32, .float64: break
      }
    }
    return data
  }

  /// A `Float` from which rounding to F16 or BF16 gives the correctly rounded result.
  private static func narrowed<S: BinaryFloatingPoint>(_ value: S) -> Float {
    HalfPrecision.floatRoundedToOdd(Double(value))
  }
}
