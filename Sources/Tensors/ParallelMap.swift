import Dispatch
import Foundation

/// Independent tasks spread over worker threads.
public enum ParallelWork {
  /// `body(i)` for `i` in `0..<count` on up to `threads` workers that claim indices one at a
  /// time (so uneven tasks balance), with the results in index order. Rethrows the error of the
  /// lowest failing index after every task has finished. With more than one worker, OpenBLAS runs
  /// one thread meanwhile (restored afterwards) so the cores are not oversubscribed.
  public static func map<T: Sendable>(
    _ count: Int, threads: Int, _ body: @Sendable (Int) throws -> T
  ) throws -> [T] {
    let results = ResultSlots<T>(count: count)
    let workers = Swift.max(1, Swift.min(threads, count))
    return try withoutActuallyEscaping(body) { body in
      let run = {
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
          while let index = results.claim() {
            results.store(Result { try body(index) }, at: index)
          }
        }
      }
      if workers > 1 { BLASThreads.withCount(1, run) } else { run() }
      return try results.values()
    }
  }
}

/// Results of ``ParallelWork/map(_:threads:_:)``, guarded by a lock.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<T, any Error>?]
  private var next = 0

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < slots.count else { return nil }
    next += 1
    return next - 1
  }

  func store(_ result: Result<T, any Error>, at index: Int) {
    lock.lock()
    slots[index] = result
    lock.unlock()
  }

  /// Every task has stored its result once `concurrentPerform` returns.
  func values() throws -> [T] {
    lock.lock()
    defer { lock.unlock() }
    return try slots.map { try $0!.get() }
  }
}
