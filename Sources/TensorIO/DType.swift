/// The element type of a stored array, named as in the safetensors format.
///
/// All multi-byte types are stored little-endian. `bfloat16` has no NumPy equivalent, so it
/// can be written to safetensors files but not to `.npy` or `.npz` files.
public enum DType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// IEEE 754 half precision (NumPy `<f2`).
  case float16 = "F16"
  /// Brain floating point: the upper 16 bits of a `Float`.
  case bfloat16 = "BF16"
  /// IEEE 754 single precision (NumPy `<f4`).
  case float32 = "F32"
  /// IEEE 754 double precision (NumPy `<f8`).
  case float64 = "F64"
  /// Signed 8-bit integer (NumPy `|i1`).
  case int8 = "I8"
  /// Signed 16-bit integer (NumPy `<i2`).
  case int16 = "I16"
  /// Signed 32-bit integer (NumPy `<i4`).
  case int32 = "I32"
  /// Signed 64-bit integer (NumPy `<i8`).
  case int64 = "I64"
  /// Unsigned 8-bit integer (NumPy `|u1`).
  case uint8 = "U8"
  /// Unsigned 16-bit integer (NumPy `<u2`).
  case uint16 = "U16"
  /// Unsigned 32-bit integer (NumPy `<u4`).
  case uint32 = "U32"
  /// Unsigned 64-bit integer (NumPy `<u8`).
  case uint64 = "U64"
  /// One byte per element, 0 or 1 (NumPy `|b1`).
  case bool = "BOOL"

  /// The size of one element in bytes.
  public var byteCount: Int {
    switch self {
    case .int8, .uint8, .bool: 1
    case .float16, .bfloat16, .int16, .uint16: 2
    case .float32, .int32, .uint32: 4
    case .float64, .int64, .uint64: 8
    }
  }

  /// True for the floating-point types.
  public var isFloatingPoint: Bool {
    switch self {
    case .float16, .bfloat16, .float32, .float64: true
    default: false
    }
  }

  /// The safetensors name, e.g. `"F32"`.
  public var description: String { rawValue }
}
