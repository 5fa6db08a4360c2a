import Foundation
import Tensors
import ZIPFoundation

/// The arrays of a NumPy `.npz` file: a zip archive of `.npy` files, as written by `np.savez`
/// (stored) and `np.savez_compressed` (deflated).
///
/// Names drop the `.npy` suffix, as in NumPy: `np.savez(f, weight=w)` gives the name `"weight"`.
/// Archive members that are not `.npy` files are ignored.
public struct NumPyArchive: Sendable {
  /// The file this was read from.
  public let url: URL
  private let arrays: NamedArrays

  /// The array names in archive order.
  public var names: [String] { arrays.names }

  /// The array called `name`, or `nil` when there is none.
  public subscript(name: String) -> StoredArray? { arrays[name] }

  /// The array called `name`.
  ///
  /// - Throws: ``TensorIOError`` `.missingName` when the archive has no such array.
  public func array(named name: String) throws -> StoredArray {
    try arrays.array(named: name, in: url, kind: "array")
  }

  /// The array called `name`, converted to `Scalar` (see ``StoredArray/tensor(as:)``).
  ///
  /// - Throws: ``TensorIOError`` `.missingName` when the archive has no such array.
  public func tensor<Scalar: TensorScalar>(named name: String, as _: Scalar.Type = Scalar.self) throws
    -> Tensor<Scalar>
  {
    try array(named: name).tensor(as: Scalar.self)
  }

  /// Reads every array of the `.npz` file at `url`.
  ///
  /// - Throws: ``TensorIOError`` naming the file: missing or unreadable file, a malformed zip, an
  ///   entry failing its checksum, or an entry that is not a valid `.npy` file (the message
  ///   names the entry).
  public static func read(_ url: URL) throws -> NumPyArchive {
    let fileSize = try FileLoading.size(of: url)
    let archive: Archive
    do {
      archive = try Archive(url: url, accessMode: .read)
    } catch {
      throw TensorIOError(.invalidArchive, url: url, "is not a valid zip archive (\(error))")
    }
    var arrays = NamedArrays()
    for entry in archive where entry.type == .file && entry.path.hasSuffix(".npy") {
      let data = try contents(of: entry, in: archive, url: url, fileSize: fileSize)
      let array: StoredArray
      do {
        array = try NumPyFile.decode(data)
      } catch let error as TensorIOError {
        throw TensorIOError(error.kind, url: url, "entry '\(entry.path)': \(error.message)")
      }
      let name = String(entry.path.dropLast(4))
      guard arrays.insert(array, named: name) else {
        throw TensorIOError(.invalidArchive, url: url, "array name '\(name)' appears twice")
      }
    }
    return NumPyArchive(url: url, arrays: arrays)
  }

  /// The uncompressed bytes of `entry`, checked against its declared size and CRC-32.
  private static func contents(of entry: Entry, in archive: Archive, url: URL, fileSize: Int) throws -> Data {
    let declared = entry.uncompressedSize
    // Deflate expands at most about 1032:1; anything beyond that is a corrupt size field.
    let plausible =
      entry.compressedSize <= UInt64(fileSize)
      && declared <= (entry.isCompressed ? entry.compressedSize * 1100 + 1024 : entry.compressedSize)
    guard plausible else {
      throw TensorIOError(.invalidArchive, url: url, "entry '\(entry.path)' declares an impossible size")
    }
    var data = Data()
    data.reserveCapacity(Int(min(declared, 1 << 26)))  // grow past 64 MiB only as data arrives
    let checksum: CRC32
    do {
      checksum = try archive.extract(entry) { chunk in
        guard UInt64(data.count + chunk.count) <= declared else {
          throw TensorIOError(.invalidArchive, url: url, "entry '\(entry.path)' is longer than it declares")
        }
        data.append(chunk)
      }
    } catch let error as TensorIOError {
      throw error
    } catch {
      throw TensorIOError(.invalidArchive, url: url, "entry '\(entry.path)' cannot be extracted (\(error))")
    }
    guard UInt64(data.count) == declared else {
      throw TensorIOError(.invalidArchive, url: url, "entry '\(entry.path)' is shorter than it declares (truncated)")
    }
    guard checksum == entry.checksum else {
      throw TensorIOError(.invalidArchive, url: url, "entry '\(entry.path)' fails its CRC-32 checksum (corrupt data)")
    }
    return data
  }
}
