import Foundation

/// Wall-clock timing for benchmarks: warm-up runs, then the median of repeated runs.
public enum Stopwatch {
  /// Seconds taken by one call of `body`.
  public static func time(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }

  /// Median seconds of `repetitions` calls after `warmup` untimed calls.
  public static func median(repetitions: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var samples: [Double] = []
    for _ in 0..<repetitions { samples.append(try time(body)) }
    samples.sort()
    return samples[samples.count / 2]
  }
}
