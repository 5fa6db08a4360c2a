import Foundation

extension SafetensorsFile {
  /// Writes `tensors`, in order, and `metadata` to a safetensors file at `url`, atomically: the
  /// data goes to a temporary file in the same directory, which then replaces `url`.
  ///
  /// The JSON header is padded with spaces so the data buffer starts 8-byte aligned; tensors are
  /// packed back to back in the order given.
  ///
  /// - Throws: ``TensorIOError`` for a duplicate or reserved (`__metadata__`) name, or when the
  ///   file cannot be written.
  public static func write(
    _ tensors: [(String, StoredArray)], metadata: [String: String] = [:], to url: URL
  ) throws {
    let header = try headerBytes(tensors, metadata: metadata, url: url)
    try AtomicWrite.write(to: url) { write in
      var length = UInt64(header.count).littleEndian
      try write(Data(bytes: &length, count: 8))
      try write(header)
      for (_, array) in tensors where !array.bytes.isEmpty { try write(array.bytes) }
    }
  }

  /// The space-padded JSON header for `tensors` and `metadata`.
  static func headerBytes(_ tensors: [(String, StoredArray)], metadata: [String: String], url: URL) throws
    -> Data
  {
    var members: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.sorted { $0.key < $1.key }
        .map { "\(JSONValue.quoted($0.key)):\(JSONValue.quoted($0.value))" }
      members.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
    }
    var seen: Set<String> = []
    var offset = 0
    for (name, array) in tensors {
      guard name != "__metadata__" else {
        throw TensorIOError(.invalidArgument, url: url, "'__metadata__' is reserved and cannot name a tensor")
      }
      guard seen.insert(name).inserted else {
        throw TensorIOError(.invalidArgument, url: url, "tensor name '\(name)' is given twice")
      }
      let end = offset + array.bytes.count
      let shape = array.shape.map(String.init).joined(separator: ",")
      members.append(
        "\(JSONValue.quoted(name)):{\"dtype\":\"\(array.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}"
      )
      offset = end
    }
    var header = Data("{\(members.joined(separator: ","))}".utf8)
    let padding = (8 - header.count % 8) % 8
    header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
    return header
  }
}
