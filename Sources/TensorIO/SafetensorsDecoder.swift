import Foundation

/// Validates and decodes the bytes of a safetensors file.
struct SafetensorsDecoder {
  let data: Data
  let path: String

  private func failure(_ kind: TensorIOError.Kind, _ message: String) -> TensorIOError {
    TensorIOError(kind, path: path, message)
  }

  /// One tensor entry of the header, before its bytes are sliced out.
  private struct Entry {
    let name: String
    let dtype: DType
    let shape: [Int]
    let begin: Int
    let end: Int
  }

  func decode() throws -> (NamedArrays, [String: String]) {
    guard data.count >= 8 else {
      throw failure(.truncated, "file is \(data.count) bytes, too short for the 8-byte header length")
    }
    let declaredLength = data.withUnsafeBytes { $0.element(0, as: UInt64.self) }
    guard declaredLength <= UInt64(SafetensorsFile.maximumHeaderLength) else {
      throw failure(
        .invalidHeader,
        "header length \(declaredLength) is absurdly large (limit \(SafetensorsFile.maximumHeaderLength) bytes)")
    }
    let headerLength = Int(declaredLength)
    guard headerLength <= data.count - 8 else {
      throw failure(
        .truncated, "header length \(headerLength) runs past the end of the file (file is \(data.count) bytes)")
    }
    let headerStart = data.startIndex + 8
    let bufferStart = headerStart + headerLength
    let members = try parseHeader(data[headerStart..<bufferStart])
    let bufferCount = data.endIndex - bufferStart

    var metadata: [String: String]?
    var entries: [Entry] = []
    var seen: Set<String> = []
    for (key, value) in members {
      if key == "__metadata__" {
        guard metadata == nil else { throw failure(.invalidMetadata, "__metadata__ appears twice in the header") }
        metadata = try parseMetadata(value)
        continue
      }
      guard seen.insert(key).inserted else {
        throw failure(.invalidHeader, "tensor name '\(key)' appears twice in the header")
      }
      entries.append(try parseEntry(named: key, value, bufferCount: bufferCount))
    }
    try checkOverlaps(entries)

    var arrays = NamedArrays()
    for entry in entries {
      let bytes = data[(bufferStart + entry.begin)..<(bufferStart + entry.end)]
      _ = arrays.insert(StoredArray(unchecked: entry.dtype, shape: entry.shape, bytes: bytes), named: entry.name)
    }
    return (arrays, metadata ?? [:])
  }

  private func parseHeader(_ header: Data) throws -> [(key: String, value: JSONValue)] {
    let bytes = [UInt8](header)
    guard String(bytes: bytes, encoding: .utf8) != nil else {
      throw failure(.invalidHeader, "header is not valid UTF-8 text")
    }
    let json: JSONValue
    do {
      json = try JSONParser.parse(bytes)
    } catch {
      throw failure(.invalidHeader, "header is not valid JSON (\(error.message) at byte \(error.offset + 8))")
    }
    guard case .object(let members) = json else {
      throw failure(.invalidHeader, "header is not a JSON object (found \(json.kindName))")
    }
    return members
  }

  private func parseMetadata(_ value: JSONValue) throws -> [String: String] {
    guard case .object(let members) = value else {
      throw failure(.invalidMetadata, "__metadata__ is \(value.kindName), not an object of strings")
    }
    var metadata: [String: String] = [:]
    for (key, value) in members {
      guard case .string(let text) = value else {
        throw failure(.invalidMetadata, "metadata value for '\(key)' is \(value.kindName), not a string")
      }
      metadata[key] = text
    }
    return metadata
  }

  private func parseEntry(named name: String, _ value: JSONValue, bufferCount: Int) throws -> Entry {
    guard case .object(let fields) = value else {
      throw failure(.invalidHeader, "tensor '\(name)' is described by \(value.kindName), not an object")
    }
    func field(_ key: String) -> JSONValue? { fields.first { $0.key == key }?.value }

    guard case .string(let dtypeName) = field("dtype") else {
      throw failure(.invalidHeader, "tensor '\(name)' has no dtype string")
    }
    guard let dtype = DType(rawValue: dtypeName) else {
      throw failure(.unsupportedDType, "tensor '\(name)' has unknown dtype '\(dtypeName)'")
    }
    let shape = try parseShape(field("shape"), of: name)
    let offsets = try parseOffsets(field("data_offsets"), of: name)
    let (begin, end) = (offsets[0], offsets[1])
    guard begin <= end else {
      throw failure(.invalidOffsets, "tensor '\(name)' has data_offsets begin \(begin) after end \(end)")
    }
    guard end <= bufferCount else {
      throw failure(
        .invalidOffsets,
        "tensor '\(name)' has data_offsets [\(begin), \(end)] outside the data buffer of \(bufferCount) bytes")
    }
    let needed = try StoredArray.byteCount(dtype: dtype, shape: shape, path: path)
    guard needed == end - begin else {
      throw failure(
        .sizeMismatch,
        "tensor '\(name)' of shape \(shape) and dtype \(dtype) needs \(needed) bytes, but its data_offsets span \(end - begin)"
      )
    }
    return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
  }

  private func parseShape(_ value: JSONValue?, of name: String) throws -> [Int] {
    guard case .array(let elements) = value else {
      throw failure(.invalidShape, "tensor '\(name)' has no shape array")
    }
    return try elements.map { element in
      switch element {
      case .integer(let extent) where extent >= 0: return extent
      case .integer(let extent):
        throw failure(.invalidShape, "tensor '\(name)' has a negative extent \(extent) in its shape")
      default:
        throw failure(
          .invalidShape, "tensor '\(name)' has \(element.kindName) in its shape, not a non-negative integer")
      }
    }
  }

  private func parseOffsets(_ value: JSONValue?, of name: String) throws -> [Int] {
    let problem = failure(.invalidOffsets, "tensor '\(name)' needs data_offsets of two non-negative integers")
    guard case .array(let elements) = value, elements.count == 2 else { throw problem }
    return try elements.map { element in
      guard case .integer(let offset) = element, offset >= 0 else { throw problem }
      return offset
    }
  }

  /// Throws when two non-empty byte ranges share a byte.
  private func checkOverlaps(_ entries: [Entry]) throws {
    let ranges = entries.filter { $0.begin < $0.end }.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
    for (previous, next) in zip(ranges, ranges.dropFirst()) where next.begin < previous.end {
      throw failure(
        .overlappingData,
        "tensors '\(previous.name)' [\(previous.begin), \(previous.end)] and '\(next.name)' [\(next.begin), \(next.end)] overlap"
      )
    }
  }
}
