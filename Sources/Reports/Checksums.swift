/// CRC-32 (ISO-HDLC, as used by PNG and zlib): reflected polynomial 0xEDB88320.
public enum CRC32 {
  private static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// The CRC of `bytes`, continuing from a previous `checksum` (start with 0).
  public static func checksum<Bytes: Sequence>(_ bytes: Bytes, continuing checksum: UInt32 = 0) -> UInt32
  where Bytes.Element == UInt8 {
    var c = ~checksum
    for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
    return ~c
  }
}

/// Adler-32, the zlib stream checksum.
public enum Adler32 {
  /// The Adler-32 of `bytes`.
  public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    var a: UInt32 = 1, b: UInt32 = 0
    var pending = 0
    for byte in bytes {
      a += UInt32(byte)
      b += a
      pending += 1
      if pending == 5552 {  // the largest run that cannot overflow 32 bits
        a %= 65521
        b %= 65521
        pending = 0
      }
    }
    return (b % 65521) << 16 | (a % 65521)
  }
}
