import Foundation
import Tensors

/// The named arrays and metadata of a safetensors file.
///
/// The format is an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each
/// tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the
/// data buffer) plus an optional `"__metadata__"` map of strings, then the data buffer.
///
/// ```swift
/// let file = try SafetensorsFile.read(url)
/// let weight = try file.tensor(named: "layer0.weight", as: Float.self)
/// ```
public struct SafetensorsFile: Sendable {
  /// The file this was read from.
  public let url: URL
  /// The free-form `__metadata__` map of the header (empty when absent).
  public let metadata: [String: String]
  private let arrays: NamedArrays

  /// The largest header accepted, as in the reference implementation (100 MB).
  public static let maximumHeaderLength = 100_000_000

  /// The tensor names in the order they appear in the header.
  public var names: [String] { arrays.names }

  /// The array called `name`, or `nil` when there is none.
  public subscript(name: String) -> StoredArray? { arrays[name] }

  /// The array called `name`.
  ///
  /// - Throws: ``TensorIOError`` `.missingName` when the file has no such tensor.
  public func array(named name: String) throws -> StoredArray {
    try arrays.array(named: name, in: url, kind: "tensor")
  }

  /// The tensor called `name`, converted to `Scalar` (see ``StoredArray/tensor(as:)``).
  ///
  /// - Throws: ``TensorIOError`` `.missingName` when the file has no such tensor.
  public func tensor<Scalar: TensorScalar>(named name: String, as _: Scalar.Type = Scalar.self) throws
    -> Tensor<Scalar>
  {
    try array(named: name).tensor(as: Scalar.self)
  }

  /// Reads and validates the safetensors file at `url`, memory-mapping its data.
  ///
  /// Arrays share memory with the mapping until converted; the file must not be truncated while
  /// they are in use.
  ///
  /// - Throws: ``TensorIOError`` naming the file and the problem: missing or unreadable file, a
  ///   truncated or oversized header, invalid JSON, unknown dtypes, bad shapes or offsets, byte
  ///   counts that do not match shapes, overlapping tensors, or non-string metadata.
  public static func read(_ url: URL) throws -> SafetensorsFile {
    let data = try FileLoading.mappedContents(of: url)
    let (arrays, metadata) = try SafetensorsDecoder(data: data, path: url.path).decode()
    return SafetensorsFile(url: url, metadata: metadata, arrays: arrays)
  }
}
