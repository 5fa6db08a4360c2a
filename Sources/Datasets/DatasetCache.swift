import Foundation

/// Where downloaded data sets are cached: never inside the repository, never committed.
public enum DatasetCache {
  /// The cache root: `$NETATLAS_CACHE` when set and not empty, else `~/.cache/netatlas`.
  /// Each data set uses a folder inside it, e.g. `mnist/`.
  public static func defaultDirectory(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> URL {
    if let root = environment["NETATLAS_CACHE"], !root.isEmpty {
      return URL(fileURLWithPath: root, isDirectory: true)
    }
    return FileManager.default.homeDirectoryForCurrentUser
      .appendingPathComponent(".cache", isDirectory: true)
      .appendingPathComponent("netatlas", isDirectory: true)
  }
}
