import Foundation

/// An error reading or writing a tensor file, naming the file and the problem in plain words.
///
/// The ``description`` reads like `"/path/model.safetensors: header length 4096 runs past the
/// end of the file (file is 100 bytes)"`, so it can be shown to a person as it is.
public struct TensorIOError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The broad category of a failure, for code that reacts to some failures differently.
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    /// The file does not exist.
    case fileNotFound
    /// The file exists but could not be opened, read, or written.
    case fileAccess
    /// The file ends before the data it describes.
    case truncated
    /// The header is malformed: bad magic, invalid JSON or dict, missing or ill-typed fields.
    case invalidHeader
    /// The element type is unknown or not supported here.
    case unsupportedDType
    /// The data is big-endian, which is not supported.
    case unsupportedByteOrder
    /// A shape has negative, non-integer, or overflowing extents.
    case invalidShape
    /// Data offsets are malformed, out of order, or leave the data buffer.
    case invalidOffsets
    /// The number of data bytes does not match the shape and element type.
    case sizeMismatch
    /// Two tensors claim overlapping byte ranges.
    case overlappingData
    /// The metadata is not a map of strings to strings.
    case invalidMetadata
    /// A tensor or array name that was asked for is not in the file.
    case missingName
    /// An argument given to a writer or converter is invalid (duplicate name, unrepresentable value).
    case invalidArgument
    /// A zip archive is malformed or an entry fails its checksum.
    case invalidArchive
  }

  /// The category of the failure.
  public let kind: Kind
  /// The path of the file involved, or `nil` when the problem is not tied to a file.
  public let path: String?
  /// The problem in plain words, without the path.
  public let message: String

  /// Creates an error of `kind` about the file at `path`.
  public init(_ kind: Kind, path: String?, _ message: String) {
    self.kind = kind
    self.path = path
    self.message = message
  }

  /// Creates an error of `kind` about the file at `url`.
  public init(_ kind: Kind, url: URL, _ message: String) {
    self.init(kind, path: url.path, message)
  }

  public var description: String {
    guard let path else { return message }
    return "\(path): \(message)"
  }

  /// The same error attributed to `path` (used when an in-memory decoder learns its file).
  func at(_ path: String) -> TensorIOError {
    TensorIOError(kind, path: path, message)
  }
}
