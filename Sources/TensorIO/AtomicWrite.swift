import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writing files so that readers see either the old file or the complete new one.
public enum AtomicWrite {
  /// Runs `write` on a fresh temporary path in the directory of `url`, then renames the result
  /// over `url`. The temporary file is removed if anything fails.
  ///
  /// - Throws: ``TensorIOError`` for file-system failures; errors thrown by `write` pass through.
  public static func replacing(_ url: URL, _ write: (URL) throws -> Void) throws {
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    do {
      try write(temporary)
      guard rename(temporary.path, url.path) == 0 else {
        let reason = String(cString: strerror(errno))
        throw TensorIOError(.fileAccess, url: url, "cannot be replaced (\(reason))")
      }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
  }

  /// Writes the chunks produced by `produce` to `url` atomically, flushing them to disk before
  /// the rename.
  public static func write(to url: URL, _ produce: ((Data) throws -> Void) throws -> Void) throws {
    try replacing(url) { temporary in
      guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
        throw TensorIOError(
          .fileAccess, url: url,
          "cannot be written (cannot create a file in \(temporary.deletingLastPathComponent().path))")
      }
      do {
        let handle = try FileHandle(forWritingTo: temporary)
        defer { try? handle.close() }
        try produce { chunk in try handle.write(contentsOf: chunk) }
        try handle.synchronize()
      } catch let error as TensorIOError {
        throw error
      } catch {
        throw TensorIOError(.fileAccess, url: url, "cannot be written (\(error.localizedDescription))")
      }
    }
  }

  /// Writes `data` to `url` atomically, creating the folder when needed.
  public static func write(_ data: Data, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try write(to: url) { produce in try produce(data) }
  }
}
