// Sampling primitives built only on `RandomNumberGenerator.next()`, so that with a
// `SeededGenerator` every result is reproducible across platforms and Swift versions (the
// standard library's `random(in:using:)` and `shuffled(using:)` make no such promise).

extension RandomNumberGenerator {
  /// A uniformly distributed integer in `0..<bound`, by Lemire's multiply-and-reject method
  /// ("Fast Random Integer Generation in an Interval", 2019).
  ///
  /// - Precondition: `bound > 0`.
  public mutating func nextUInt64(below bound: UInt64) -> UInt64 {
    precondition(bound > 0, "upper bound \(bound) must be positive")
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return product.high
  }

  /// A uniformly distributed integer in `0..<bound`; see ``nextUInt64(below:)``.
  ///
  /// - Precondition: `bound > 0`.
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "upper bound \(bound) must be positive")
    return Int(nextUInt64(below: UInt64(bound)))
  }

  /// A uniformly distributed integer in `range`.
  ///
  /// - Precondition: `range` is not empty.
  public mutating func nextInt(in range: Range<Int>) -> Int {
    precondition(!range.isEmpty, "cannot draw from the empty range \(range)")
    let width = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
    return range.lowerBound &+ Int(truncatingIfNeeded: nextUInt64(below: width))
  }

  /// A uniformly distributed value in `[0, 1)` on the grid of multiples of `2^-p`, where `p` is
  /// the precision of `S` (24 bits for `Float`, 53 for `Double`): the top `p` bits of `next()`.
  public mutating func nextUniform<S: BinaryFloatingPoint>(as type: S.Type = S.self) -> S {
    let precision = Swift.min(64, S.significandBitCount + 1)
    let bits = next() >> UInt64(64 - precision)
    return S(bits) * S(sign: .plus, exponent: S.Exponent(-precision), significand: 1)
  }

  /// A uniformly distributed value in the half-open `range`, as `lowerBound + width * u` with
  /// `u` from ``nextUniform(as:)``; a result that rounds up to `upperBound` is replaced by the
  /// largest value below it.
  ///
  /// - Precondition: `range` is not empty and its width is finite.
  public mutating func nextUniform<S: BinaryFloatingPoint>(in range: Range<S>) -> S {
    let width = range.upperBound - range.lowerBound
    precondition(!range.isEmpty && width.isFinite, "cannot draw uniformly from \(range)")
    let value = range.lowerBound + width * nextUniform(as: S.self)
    return value < range.upperBound ? value : range.upperBound.nextDown
  }

  /// Two independent standard normal values by the Marsaglia polar method.
  ///
  /// Each attempt draws two ``nextUniform(as:)`` doubles; attempts outside the unit disc are
  /// rejected. The arithmetic is IEEE except for one call to `log`, so results agree across
  /// platforms to within the accuracy of the platform's `log` (bit for bit where it is the same).
  public mutating func nextStandardNormalPair() -> (Double, Double) {
    while true {
      let u = 2 * nextUniform(as: Double.self) - 1
      let v = 2 * nextUniform(as: Double.self) - 1
      let s = u * u + v * v
      if s >= 1 || s == 0 { continue }
      let factor = (-2 * Double.log(s) / s).squareRoot()
      return (u * factor, v * factor)
    }
  }

  /// A standard normal value: the first of ``nextStandardNormalPair()``, the second is discarded.
  public mutating func nextStandardNormal() -> Double { nextStandardNormalPair().0 }

  /// Shuffles `elements` in place by the Fisher–Yates algorithm: position `i`, from the front,
  /// swaps with a uniformly chosen position in `i..<count`.
  public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ elements: inout C) {
    let count = elements.count
    for offset in 0..<count {
      let other = offset + nextInt(below: count - offset)
      elements.swapAt(
        elements.index(elements.startIndex, offsetBy: offset), elements.index(elements.startIndex, offsetBy: other))
    }
  }

  /// A uniformly random permutation of `0..<n`, from ``shuffle(_:)``.
  public mutating func permutation(_ n: Int) -> [Int] {
    precondition(n >= 0, "cannot permute \(n) elements")
    var values = Array(0..<n)
    shuffle(&values)
    return values
  }

  /// `k` distinct integers drawn uniformly without replacement from `0..<n`, in the order drawn.
  ///
  /// This runs the first `k` steps of the Fisher–Yates shuffle in ``permutation(_:)`` in `O(k)`
  /// time and memory, so `sample(k, from: n)` equals the first `k` elements of `permutation(n)`
  /// for the same generator state.
  ///
  /// - Precondition: `0 <= k <= n`.
  public mutating func sample(_ k: Int, from n: Int) -> [Int] {
    precondition(k >= 0 && k <= n, "cannot sample \(k) of \(n) elements without replacement")
    // Positions moved by earlier swaps; every other position `p` still holds `p`.
    var displaced: [Int: Int] = [:]
    displaced.reserveCapacity(k)
    var result = [Int]()
    result.reserveCapacity(k)
    for position in 0..<k {
      let other = position + nextInt(below: n - position)
      let chosen = displaced[other] ?? other
      displaced[other] = displaced[position] ?? position
      result.append(chosen)
    }
    return result
  }
}
