import Foundation

/// Reading and writing single arrays in NumPy's `.npy` format.
///
/// Reads versions 1.0, 2.0 and 3.0 with little-endian (or single-byte) dtypes `f2`, `f4`, `f8`,
/// `i1`, `i2`, `i4`, `i8`, `u1`, `u2`, `u4`, `u8` and `b1`, in C or Fortran order (Fortran order
/// is converted to row-major). Writes version 1.0 (2.0 when the header needs it), C order.
///
/// ```swift
/// let weights = try NumPyFile.read(url).tensor(as: Float.self)
/// try NumPyFile.write(StoredArray(weights), to: otherURL)
/// ```
public enum NumPyFile {
  /// Reads the array in the `.npy` file at `url`.
  ///
  /// - Throws: ``TensorIOError`` naming the file and the problem: missing or unreadable file, bad
  ///   magic, unsupported version, truncated or unparseable header, unsupported or big-endian
  ///   dtype, or data whose length does not match the shape.
  public static func read(_ url: URL) throws -> StoredArray {
    let data = try FileLoading.mappedContents(of: url)
    do {
      return try decode(data)
    } catch let error as TensorIOError {
      throw error.at(url.path)
    }
  }

  /// Writes `array` to a `.npy` file at `url`, atomically (through a temporary file in the same
  /// directory that then replaces `url`).
  ///
  /// - Throws: ``TensorIOError`` for BF16 arrays, which NumPy cannot represent, or when the file
  ///   cannot be written.
  public static func write(_ array: StoredArray, to url: URL) throws {
    let header = try NumPyHeader.encoded(dtype: array.dtype, shape: array.shape, path: url.path)
    try AtomicWrite.write(to: url) { write in
      try write(header)
      if !array.bytes.isEmpty { try write(array.bytes) }
    }
  }

  /// The complete `.npy` bytes for `array`.
  static func encode(_ array: StoredArray) throws -> Data {
    var data = try NumPyHeader.encoded(dtype: array.dtype, shape: array.shape, path: nil)
    data.append(array.bytes)
    return data
  }

  /// Decodes complete `.npy` bytes. Errors carry no path.
  static func decode(_ data: Data) throws -> StoredArray {
    let (header, dataOffset) = try NumPyHeader.parse(data)
    let expected = try StoredArray.byteCount(dtype: header.dtype, shape: header.shape, path: nil)
    let available = data.count - dataOffset
    guard available == expected else {
      let shapeText = "(" + header.shape.map(String.init).joined(separator: ", ") + ")"
      throw TensorIOError(
        .sizeMismatch, path: nil,
        "shape \(shapeText) of \(header.dtype) needs \(expected) bytes of data, but the file has \(available)")
    }
    let bytes = data[(data.startIndex + dataOffset)...]
    guard header.fortranOrder && header.shape.count > 1 else {
      return StoredArray(unchecked: header.dtype, shape: header.shape, bytes: bytes)
    }
    let rowMajor = ColumnMajorOrder.rowMajorBytes(
      fromColumnMajor: bytes, shape: header.shape, elementSize: header.dtype.byteCount)
    return StoredArray(unchecked: header.dtype, shape: header.shape, bytes: rowMajor)
  }
}
