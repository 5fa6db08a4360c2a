import Foundation

/// A dense array of any ``DType`` as it is stored in a file: a shape and raw little-endian bytes
/// in row-major order.
///
/// Arrays read from a file may share memory with the memory-mapped file, so reading is cheap
/// and copying happens only on conversion. Use ``tensor(as:)`` to get a `Tensor<Float>` or
/// `Tensor<Double>` from any numeric type, and ``init(_:)`` to store a tensor.
public struct StoredArray: Sendable, Equatable {
  /// The element type.
  public let dtype: DType
  /// The extent of each axis; `[]` for a scalar.
  public let shape: [Int]
  /// The elements, little-endian, row-major; exactly `count * dtype.byteCount` bytes.
  public let bytes: Data

  /// Creates an array from raw little-endian row-major bytes.
  ///
  /// - Throws: ``TensorIOError`` when the shape has a negative extent, its element count
  ///   overflows, or `bytes.count` is not the element count times `dtype.byteCount`.
  public init(dtype: DType, shape: [Int], bytes: Data) throws {
    let expected = try Self.byteCount(dtype: dtype, shape: shape, path: nil)
    guard bytes.count == expected else {
      throw TensorIOError(
        .sizeMismatch, path: nil,
        "shape \(shape) of \(dtype) needs \(expected) bytes, got \(bytes.count)")
    }
    self.init(unchecked: dtype, shape: shape, bytes: bytes)
  }

  /// Creates an array whose byte count the caller has already checked.
  init(unchecked dtype: DType, shape: [Int], bytes: Data) {
    self.dtype = dtype
    self.shape = shape
    self.bytes = bytes
  }

  /// The number of elements.
  public var count: Int { bytes.count / dtype.byteCount }

  /// The number of axes.
  public var rank: Int { shape.count }

  /// The product of `shape`, or `nil` when an extent is negative or the product overflows `Int`.
  ///
  /// The running product is checked left to right, exactly as `Tensor` computes it, so a shape
  /// such as `[1 << 62, 1 << 62, 0]` is rejected rather than trapping later.
  static func elementCount(of shape: [Int]) -> Int? {
    guard shape.allSatisfy({ $0 >= 0 }) else { return nil }
    var product = 1
    for extent in shape {
      let (next, overflow) = product.multipliedReportingOverflow(by: extent)
      if overflow { return nil }
      product = next
    }
    return product
  }

  /// The number of bytes a `shape` of `dtype` occupies, checked for negative extents and overflow.
  static func byteCount(dtype: DType, shape: [Int], path: String?) throws -> Int {
    if let negative = shape.first(where: { $0 < 0 }) {
      throw TensorIOError(.invalidShape, path: path, "shape \(shape) has a negative extent \(negative)")
    }
    guard let count = elementCount(of: shape) else {
      throw TensorIOError(.invalidShape, path: path, "shape \(shape) has too many elements (overflow)")
    }
    let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteCount)
    guard !overflow else {
      throw TensorIOError(.invalidShape, path: path, "shape \(shape) of \(dtype) is too large (overflow)")
    }
    return bytes
  }
}

extension StoredArray: CustomStringConvertible {
  public var description: String { "StoredArray<\(dtype)>(shape: \(shape), \(bytes.count) bytes)" }
}
