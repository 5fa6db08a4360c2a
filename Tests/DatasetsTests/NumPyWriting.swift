import Foundation

/// Writes small uint8 `.npy` files by hand (version 1.0 header), for fake caches in the tests.
enum NumPyWriting {
  static func writeUInt8(_ values: [UInt8], shape: [Int], to url: URL) throws {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '|u1', 'fortran_order': False, 'shape': \(shapeText), }"
    let padding = 64 - (10 + header.utf8.count + 1) % 64
    header += String(repeating: " ", count: padding) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    data.append(contentsOf: [UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)])
    data.append(contentsOf: Array(header.utf8))
    data.append(contentsOf: values)
    try data.write(to: url)
  }

  /// A fresh empty temporary folder.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("netatlas-datasets-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
