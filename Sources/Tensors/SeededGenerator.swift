/// A seeded pseudo-random number generator whose output is identical, bit for bit, on every
/// platform and Swift version: xoshiro256** (Blackman and Vigna) seeded through SplitMix64.
///
/// The same seed always gives the same sequence of `UInt64` values; the sampling helpers in
/// this module (``Swift/RandomNumberGenerator/nextUniform(as:)``,
/// ``Swift/RandomNumberGenerator/nextInt(below:)``, ...) are implemented here too, so whatever
/// they derive from that sequence is just as reproducible. Derive independent generators for
/// parallel work with ``split()`` or ``split(into:)``.
///
/// ```swift
/// var generator = SeededGenerator(seed: 42)
/// let weights = Tensor<Float>.normal(shape: [64, 32], using: &generator)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// Creates a generator whose 256-bit state is the first four outputs of SplitMix64 started
  /// at `seed`.
  public init(seed: UInt64) {
    var splitMix = seed
    s0 = SeededGenerator.splitMix64(&splitMix)
    s1 = SeededGenerator.splitMix64(&splitMix)
    s2 = SeededGenerator.splitMix64(&splitMix)
    s3 = SeededGenerator.splitMix64(&splitMix)
  }

  /// Creates a generator from a raw xoshiro256** state; an all-zero state, the one state the
  /// algorithm cannot leave, is replaced by `(1, 0, 0, 0)`.
  private init(state: (UInt64, UInt64, UInt64, UInt64)) {
    (s0, s1, s2, s3) = state
    if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
  }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = SeededGenerator.rotateLeft(s1 &* 5, by: 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = SeededGenerator.rotateLeft(s3, by: 45)
    return result
  }

  /// A new generator seeded from this one's next four outputs, each passed through the
  /// SplitMix64 output function; this generator advances by four steps.
  ///
  /// Splitting is deterministic: the same parent state always yields the same child, and
  /// children split in sequence (or recursively) have unrelated states.
  public mutating func split() -> SeededGenerator {
    SeededGenerator(
      state: (
        SeededGenerator.mix64(next()), SeededGenerator.mix64(next()),
        SeededGenerator.mix64(next()), SeededGenerator.mix64(next())
      ))
  }

  /// `count` generators from successive calls to ``split()``, e.g. one per parallel task.
  public mutating func split(into count: Int) -> [SeededGenerator] {
    precondition(count >= 0, "cannot split into \(count) generators")
    return (0..<count).map { _ in split() }
  }

  /// Advances the state by 2¹²⁸ steps, as if `next()` had been called 2¹²⁸ times, so that
  /// copies taken between jumps generate non-overlapping sequences.
  public mutating func jump() {
    let polynomial: [UInt64] = [0x180e_c6d3_3cfd_0aba, 0xd5a6_1266_f0c9_392c, 0xa958_2618_e03f_c9aa, 0x39ab_dc45_29b1_661c]
    var (t0, t1, t2, t3): (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    for word in polynomial {
      for bit in 0..<64 {
        if word & (1 << UInt64(bit)) != 0 {
          t0 ^= s0
          t1 ^= s1
          t2 ^= s2
          t3 ^= s3
        }
        _ = next()
      }
    }
    (s0, s1, s2, s3) = (t0, t1, t2, t3)
  }

  /// One SplitMix64 step: advances `state` by the golden-ratio increment and returns the mixed value.
  static func splitMix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    return mix64(state)
  }

  /// The SplitMix64 output function, a bijection on `UInt64`.
  static func mix64(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  @inline(__always)
  private static func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
