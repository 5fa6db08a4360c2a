import Foundation

/// Reading whole files with plain-words errors.
enum FileLoading {
  /// The size in bytes of the regular file at `url`.
  ///
  /// - Throws: ``TensorIOError`` `.fileNotFound` when nothing is at `url`, `.fileAccess` when it
  ///   is a directory or its attributes cannot be read.
  static func size(of url: URL) throws -> Int {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw TensorIOError(.fileNotFound, url: url, "file not found")
    }
    guard !isDirectory.boolValue else {
      throw TensorIOError(.fileAccess, url: url, "is a directory, not a file")
    }
    do {
      let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
      switch attributes[.size] {
      case let size as Int: return size
      case let size as UInt64: return Int(clamping: size)
      case let size as NSNumber: return size.intValue
      default: return 0
      }
    } catch {
      throw TensorIOError(.fileAccess, url: url, "cannot be read (\(error.localizedDescription))")
    }
  }

  /// The contents of `url`, memory-mapped when the system allows it.
  ///
  /// - Throws: ``TensorIOError`` `.fileNotFound` when nothing is at `url`, `.fileAccess` when it
  ///   is a directory or cannot be read.
  static func mappedContents(of url: URL) throws -> Data {
    _ = try size(of: url)
    do {
      return try Data(contentsOf: url, options: .alwaysMapped)
    } catch {
      throw TensorIOError(.fileAccess, url: url, "cannot be read (\(error.localizedDescription))")
    }
  }
}
