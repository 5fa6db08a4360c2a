import Foundation
import Tensors

/// Arrays by name, in file order, with lookups that fail with a plain-words error.
struct NamedArrays: Sendable {
  private(set) var names: [String] = []
  private var arrays: [String: StoredArray] = [:]

  /// Adds `array` under `name`; returns false when the name is already taken.
  mutating func insert(_ array: StoredArray, named name: String) -> Bool {
    guard arrays[name] == nil else { return false }
    names.append(name)
    arrays[name] = array
    return true
  }

  subscript(name: String) -> StoredArray? { arrays[name] }

  /// The array called `name`, or a `.missingName` error naming `url` and the names it does hold.
  func array(named name: String, in url: URL, kind: String) throws -> StoredArray {
    guard let array = arrays[name] else {
      let available = names.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
      let more = names.count > 10 ? ", ..." : ""
      let holds = names.isEmpty ? "it holds none" : "it holds \(available)\(more)"
      throw TensorIOError(.missingName, url: url, "no \(kind) named '\(name)' (\(holds))")
    }
    return array
  }
}
