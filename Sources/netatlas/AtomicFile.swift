import Foundation

/// Writes results atomically: a temporary file in the same folder, then a rename, so a
/// crash never leaves half a file behind.
enum AtomicFile {
  static func write(_ text: String, to url: URL) throws {
    try write(Data(text.utf8), to: url)
  }

  static func write(_ data: Data, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    try data.write(to: temporary)
    if FileManager.default.fileExists(atPath: url.path) {
      _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
    } else {
      try FileManager.default.moveItem(at: temporary, to: url)
    }
  }
}
