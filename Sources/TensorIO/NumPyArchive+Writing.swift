import Foundation
import ZIPFoundation

extension NumPyArchive {
  /// Writes `arrays`, in order, to a `.npz` file at `url`, atomically (through a temporary file in
  /// the same directory that then replaces `url`). Each array becomes the entry `name.npy`.
  ///
  /// - Parameter compressed: Deflate the entries, like `np.savez_compressed`; otherwise store
  ///   them, like `np.savez`.
  /// - Throws: ``TensorIOError`` for a duplicate name, a BF16 array (NumPy has no such dtype), or
  ///   when the file cannot be written.
  public static func write(_ arrays: [(String, StoredArray)], to url: URL, compressed: Bool = false) throws {
    var seen: Set<String> = []
    let entries = try arrays.map { name, array in
      guard seen.insert(name).inserted else {
        throw TensorIOError(.invalidArgument, url: url, "array name '\(name)' is given twice")
      }
      do {
        return (path: name + ".npy", data: try NumPyFile.encode(array))
      } catch let error as TensorIOError {
        throw TensorIOError(error.kind, url: url, "array '\(name)': \(error.message)")
      }
    }
    try AtomicWrite.replacing(url) { temporary in
      do {
        let archive = try Archive(url: temporary, accessMode: .create)
        for entry in entries {
          try archive.addEntry(
            with: entry.path, type: .file, uncompressedSize: Int64(entry.data.count),
            compressionMethod: compressed ? .deflate : .none
          ) { position, size in
            let start = entry.data.startIndex + Int(position)
            return entry.data.subdata(in: start..<min(start + size, entry.data.endIndex))
          }
        }
      } catch {
        throw TensorIOError(.fileAccess, url: url, "cannot be written (\(error))")
      }
    }
  }
}
