import Foundation

/// The header of a `.npy` file: magic `\x93NUMPY`, a version, a little-endian header length
/// (2 bytes in version 1.0, 4 bytes in 2.0 and 3.0) and a Python dict literal with the keys
/// `descr`, `fortran_order` and `shape`.
struct NumPyHeader {
  var dtype: DType
  var fortranOrder: Bool
  var shape: [Int]

  static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

  /// The total size of magic, version, length and dict is a multiple of this when writing.
  static let alignment = 64

  // MARK: Reading

  /// Parses the header at the start of `data`, returning it and the offset (from
  /// `data.startIndex`) where the array data begins.
  ///
  /// Errors carry no path; the caller attributes them to its file.
  static func parse(_ data: Data) throws -> (header: NumPyHeader, dataOffset: Int) {
    let bytes = data.prefix(12).map { $0 }
    let magicPrefix = Array(bytes.prefix(magic.count))
    guard magicPrefix == Array(magic.prefix(magicPrefix.count)) else {
      throw failure(.invalidHeader, "not a .npy file (bad magic bytes; expected \\x93NUMPY)")
    }
    guard bytes.count >= 10 else {
      throw failure(.truncated, "file is \(data.count) bytes, too short for a .npy header")
    }
    let (major, minor) = (bytes[6], bytes[7])
    let lengthSize: Int
    switch (major, minor) {
    case (1, 0): lengthSize = 2
    case (2, 0), (3, 0): lengthSize = 4
    default: throw failure(.invalidHeader, "unsupported .npy format version \(major).\(minor)")
    }
    guard bytes.count >= 8 + lengthSize else {
      throw failure(.truncated, "file is \(data.count) bytes, too short for a version \(major).\(minor) header")
    }
    let headerLength =
      lengthSize == 2
      ? Int(UInt16(bytes[8]) | UInt16(bytes[9]) << 8)
      : Int(bytes[8..<12].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    let headerStart = 8 + lengthSize
    guard headerLength <= data.count - headerStart else {
      throw failure(
        .truncated, "header length \(headerLength) runs past the end of the file (file is \(data.count) bytes)")
    }
    let headerBytes = data[(data.startIndex + headerStart)..<(data.startIndex + headerStart + headerLength)]
    // Versions 1 and 2 store Latin-1 text, version 3 UTF-8.
    guard let text = String(data: headerBytes, encoding: major == 3 ? .utf8 : .isoLatin1) else {
      throw failure(.invalidHeader, "header is not valid \(major == 3 ? "UTF-8" : "Latin-1") text")
    }
    return (try parse(text: text), headerStart + headerLength)
  }

  /// Parses the header dict text.
  static func parse(text: String) throws -> NumPyHeader {
    let literal: PythonLiteral
    do {
      literal = try PythonLiteralParser.parse(text)
    } catch {
      throw failure(.invalidHeader, "header dict cannot be parsed (\(error.message) at character \(error.offset))")
    }
    guard case .dict(let items) = literal else {
      throw failure(.invalidHeader, "header is \(literal.kindName), not a dict")
    }
    func value(_ key: String) throws -> PythonLiteral {
      let found = items.first { if case .string(key) = $0.key { true } else { false } }
      guard let found else { throw failure(.invalidHeader, "header dict has no '\(key)' key") }
      return found.value
    }
    let dtype = try parseDescr(value("descr"))
    guard case .bool(let fortranOrder) = try value("fortran_order") else {
      throw failure(.invalidHeader, "header 'fortran_order' is not True or False")
    }
    guard case .tuple(let extents) = try value("shape") else {
      throw failure(.invalidShape, "header 'shape' is not a tuple")
    }
    let shape = try extents.map { extent in
      switch extent {
      case .integer(let value) where value >= 0: return value
      case .integer(let value): throw failure(.invalidShape, "header 'shape' has a negative extent \(value)")
      default: throw failure(.invalidShape, "header 'shape' has \(extent.kindName), not a non-negative integer")
      }
    }
    return NumPyHeader(dtype: dtype, fortranOrder: fortranOrder, shape: shape)
  }

  private static func parseDescr(_ descr: PythonLiteral) throws -> DType {
    guard case .string(let text) = descr else {
      throw failure(
        .unsupportedDType, "dtype descr is \(descr.kindName), not a string (structured dtypes are not supported)")
    }
    var scalars = Substring(text)
    let order = scalars.first.flatMap { "<>|=".contains($0) ? $0 : nil }
    if order != nil { scalars = scalars.dropFirst() }
    guard let kind = scalars.first, let size = Int(scalars.dropFirst()),
      let dtype = dtype(kind: kind, size: size)
    else {
      throw failure(.unsupportedDType, "dtype '\(text)' is not supported")
    }
    if order == ">" && dtype.byteCount > 1 {
      throw failure(
        .unsupportedByteOrder, "dtype '\(text)' is big-endian, which is not supported; save it little-endian ('<')")
    }
    return dtype
  }

  private static func dtype(kind: Character, size: Int) -> DType? {
    switch (kind, size) {
    case ("f", 2): .float16
    case ("f", 4): .float32
    case ("f", 8): .float64
    case ("i", 1): .int8
    case ("i", 2): .int16
    case ("i", 4): .int32
    case ("i", 8): .int64
    case ("u", 1): .uint8
    case ("u", 2): .uint16
    case ("u", 4): .uint32
    case ("u", 8): .uint64
    case ("b", 1): .bool
    default: nil
    }
  }

  private static func failure(_ kind: TensorIOError.Kind, _ message: String) -> TensorIOError {
    TensorIOError(kind, path: nil, message)
  }

  // MARK: Writing

  /// The NumPy descr for `dtype`, or `nil` for BF16, which NumPy lacks.
  static func descr(for dtype: DType) -> String? {
    switch dtype {
    case .float16: "<f2"
    case .bfloat16: nil
    case .float32: "<f4"
    case .float64: "<f8"
    case .int8: "|i1"
    case .int16: "<i2"
    case .int32: "<i4"
    case .int64: "<i8"
    case .uint8: "|u1"
    case .uint16: "<u2"
    case .uint32: "<u4"
    case .uint64: "<u8"
    case .bool: "|b1"
    }
  }

  /// Magic, version, length and space-padded dict, as NumPy writes them: version 1.0, or 2.0
  /// when the dict does not fit a 2-byte length. Always C order.
  static func encoded(dtype: DType, shape: [Int], path: String?) throws -> Data {
    guard let descr = descr(for: dtype) else {
      throw TensorIOError(
        .unsupportedDType, path: path, "\(dtype) has no NumPy equivalent; convert it to F32 before saving")
    }
    let shapeText =
      shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    let dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
    for (major, lengthSize) in [(UInt8(1), 2), (UInt8(2), 4)] {
      let prefix = magic.count + 2 + lengthSize
      let unpadded = prefix + dict.utf8.count + 1  // + "\n"
      let padding = (alignment - unpadded % alignment) % alignment
      let headerLength = dict.utf8.count + padding + 1
      if lengthSize == 2 && headerLength > Int(UInt16.max) { continue }
      var data = Data(magic)
      data.append(contentsOf: [major, 0])
      for byteIndex in 0..<lengthSize { data.append(UInt8(truncatingIfNeeded: headerLength >> (8 * byteIndex))) }
      data.append(contentsOf: dict.utf8)
      data.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
      data.append(UInt8(ascii: "\n"))
      return data
    }
    throw TensorIOError(.invalidArgument, path: path, "shape \(shape) makes a header too long for .npy")
  }
}
