/// A problem loading or fetching a data set, naming the file involved and what is wrong.
///
/// The ``description`` reads like `"/home/me/.cache/netatlas/mnist/mnist_labels.npy: 4999
/// labels for 5000 images"`, so it can be shown to a person as it is.
public struct DatasetError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The broad category of a failure, for code that reacts to some failures differently.
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    /// A data file is not where it should be (a cache not fetched yet, a missing resource).
    case missingFile
    /// A data file exists but cannot be read or parsed.
    case unreadableFile
    /// A data file was read but its contents are not what the task needs (dtype, shape, range).
    case invalidContents
    /// Running the fetch script failed or could not be started.
    case fetchFailed
    /// A task parameter is out of range.
    case invalidParameter
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

  public var description: String {
    guard let path else { return message }
    return "\(path): \(message)"
  }
}
