extension Tensor {
  /// A tensor of independent values uniformly distributed in `range`, filled in row-major order
  /// by ``Swift/RandomNumberGenerator/nextUniform(in:)`` at the precision of `Scalar`.
  public static func uniform(
    shape: [Int], in range: Range<Scalar> = 0..<1, using generator: inout some RandomNumberGenerator
  ) -> Tensor {
    Tensor(shape: shape) { buffer in
      for i in buffer.indices { buffer[i] = generator.nextUniform(in: range) }
    }
  }

  /// A tensor of independent normal values, filled in row-major order.
  ///
  /// Values come in pairs from ``Swift/RandomNumberGenerator/nextStandardNormalPair()`` (the
  /// second of the last pair is dropped for an odd count) and are scaled in `Double`,
  /// `mean + standardDeviation * z`, before rounding to `Scalar`, so a `Float` and a `Double`
  /// tensor drawn from equal generator states agree to `Float` precision.
  ///
  /// - Precondition: `standardDeviation >= 0`.
  public static func normal(
    shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1, using generator: inout some RandomNumberGenerator
  ) -> Tensor {
    precondition(standardDeviation >= 0, "standard deviation \(standardDeviation) is negative")
    let (center, scale) = (Double(mean), Double(standardDeviation))
    return Tensor(shape: shape) { buffer in
      var i = buffer.startIndex
      while i < buffer.endIndex {
        let (z0, z1) = generator.nextStandardNormalPair()
        buffer[i] = Scalar(center + scale * z0)
        if i + 1 < buffer.endIndex { buffer[i + 1] = Scalar(center + scale * z1) }
        i += 2
      }
    }
  }
}
