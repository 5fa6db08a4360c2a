extension Duration {
  /// The duration in seconds as a `Double` (for timings and benchmarks).
  public var inSeconds: Double {
    let (whole, attoseconds) = components
    return Double(whole) + Double(attoseconds) * 1e-18
  }
}
