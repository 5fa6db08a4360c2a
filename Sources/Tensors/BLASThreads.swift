import CLinearAlgebra

/// The number of threads OpenBLAS uses for BLAS and LAPACK calls: the one place in NetAtlas
/// that reads or changes it.
///
/// The count is process-wide state inside OpenBLAS. Changing it while another thread is inside
/// a BLAS call is safe for OpenBLAS but affects that thread's later calls, and concurrent
/// ``withCount(_:_:)`` calls restore in an unpredictable order; change it from one place, for
/// example before starting parallel work that should run single-threaded BLAS per task.
public enum BLASThreads {
  /// The number of threads OpenBLAS currently uses.
  public static var count: Int { Int(openblas_get_num_threads()) }

  /// Makes OpenBLAS use `n` threads from now on.
  ///
  /// - Precondition: `n >= 1`.
  public static func set(_ n: Int) {
    precondition(n >= 1, "BLAS thread count must be at least 1, got \(n)")
    openblas_set_num_threads(Int32(clamping: n))
  }

  /// Runs `body` with OpenBLAS using `n` threads, then restores the previous count, even if
  /// `body` throws.
  ///
  /// - Precondition: `n >= 1`.
  public static func withCount<T>(_ n: Int, _ body: () throws -> T) rethrows -> T {
    try withTemporaryValue(n, get: { count }, set: { set($0) }, body)
  }

  /// Runs `body` after `set(value)`, then sets back what `get` returned before, even if `body`
  /// throws: the save-and-restore of ``withCount(_:_:)``, separate from OpenBLAS's process-wide
  /// state so that it can be tested without racing other threads.
  static func withTemporaryValue<T>(
    _ value: Int, get: () -> Int, set: (Int) -> Void, _ body: () throws -> T
  ) rethrows -> T {
    let previous = get()
    set(value)
    defer { set(previous) }
    return try body()
  }
}
