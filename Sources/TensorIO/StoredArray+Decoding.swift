import Foundation
import Tensors

extension StoredArray {
  /// The elements converted to a tensor of `Float` or `Double`.
  ///
  /// Every dtype converts: F16, BF16 and F32 convert exactly to either scalar type; F64 and the
  /// wide integer types round to the nearest representable value; BOOL gives 0 and 1.
  public func tensor<Scalar: TensorScalar>(as _: Scalar.Type = Scalar.self) -> Tensor<Scalar> {
    Tensor(shape: shape, scalars: scalars(as: Scalar.self))
  }

  /// The elements as integers of type `T`, in row-major order.
  ///
  /// - Throws: ``TensorIOError`` when the dtype is floating point, or an element does not fit in `T`.
  public func integers<T: FixedWidthInteger>(as _: T.Type = T.self) throws -> [T] {
    guard !dtype.isFloatingPoint else {
      throw TensorIOError(
        .invalidArgument, path: nil, "\(dtype) elements are floating point, not integers; use tensor(as:)")
    }
    let n = count
    var result: [T] = []
    result.reserveCapacity(n)
    try bytes.withUnsafeBytes { raw in
      for index in 0..<n {
        let value: T? =
          switch dtype {
          case .int8: T(exactly: raw.element(index, as: Int8.self))
          case .int16: T(exactly: raw.element(index, as: Int16.self))
          case .int32: T(exactly: raw.element(index, as: Int32.self))
          case .int64: T(exactly: raw.element(index, as: Int64.self))
          case .uint8: T(exactly: raw.element(index, as: UInt8.self))
          case .uint16: T(exactly: raw.element(index, as: UInt16.self))
          case .uint32: T(exactly: raw.element(index, as: UInt32.self))
          case .uint64: T(exactly: raw.element(index, as: UInt64.self))
          case .bool: raw.element(index, as: UInt8.self) == 0 ? 0 : 1
          case .float16, .bfloat16, .float32, .float64: nil
          }
        guard let value else {
          throw TensorIOError(
            .invalidArgument, path: nil, "element \(index) of a \(dtype) array does not fit in \(T.self)")
        }
        result.append(value)
      }
    }
    return result
  }

  /// The elements converted to `Scalar`, in row-major order.
  func scalars<Scalar: BinaryFloatingPoint>(as _: Scalar.Type) -> [Scalar] {
    let n = count
    let dtype = dtype
    return bytes.withUnsafeBytes { raw in
      [Scalar](unsafeUninitializedCapacity: n) { out, initialized in
        #if _endian(little)
          if (dtype == .float32 && Scalar.self == Float.self) || (dtype == .float64 && Scalar.self == Double.self) {
            if let base = out.baseAddress, let source = raw.baseAddress {
              UnsafeMutableRawPointer(base).copyMemory(from: source, byteCount: raw.count)
            }
            initialized = n
            return
          }
        #endif
        switch dtype {
        case .float16:
          for i in 0..<n { out[i] = Scalar(HalfPrecision.float(fromHalf: raw.element(i, as: UInt16.self))) }
        case .bfloat16:
          for i in 0..<n { out[i] = Scalar(HalfPrecision.float(fromBFloat16: raw.element(i, as: UInt16.self))) }
        case .float32:
          for i in 0..<n { out[i] = Scalar(Float(bitPattern: raw.element(i, as: UInt32.self))) }
        case .float64:
          for i in 0..<n { out[i] = Scalar(Double(bitPattern: raw.element(i, as: UInt64.self))) }
        case .int8: for i in 0..<n { out[i] = Scalar(raw.element(i, as: Int8.self)) }
        case .int16: for i in 0..<n { out[i] = Scalar(raw.element(i, as: Int16.self)) }
        case .int32: for i in 0..<n { out[i] = Scalar(raw.element(i, as: Int32.self)) }
        case .int64: for i in 0..<n { out[i] = Scalar(raw.element(i, as: Int64.self)) }
        case .uint8: for i in 0..<n { out[i] = Scalar(raw.element(i, as: UInt8.self)) }
        case .uint16: for i in 0..<n { out[i] = Scalar(raw.element(i, as: UInt16.self)) }
        case .uint32: for i in 0..<n { out[i] = Scalar(raw.element(i, as: UInt32.self)) }
        case .uint64: for i in 0..<n { out[i] = Scalar(raw.element(i, as: UInt64.self)) }
        case .bool: for i in 0..<n { out[i] = raw.element(i, as: UInt8.self) == 0 ? 0 : 1 }
        }
        initialized = n
      }
    }
  }
}
