/// Bit-level conversions between `Float` and the 16-bit float formats.
///
/// Written by hand rather than with `Float16`, which is unavailable on some platforms
/// (Intel macOS). All narrowing conversions round to nearest, ties to even.
enum HalfPrecision {
  /// The exact `Float` value of IEEE 754 half-precision bits.
  static func float(fromHalf bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32((bits >> 10) & 0x1f)
    let mantissa = UInt32(bits & 0x3ff)
    switch exponent {
    case 0:
      // Zero or subnormal: mantissa * 2^-24, exact in Float.
      let magnitude = Float(mantissa) * 0x1p-24
      return sign == 0 ? magnitude : -magnitude
    case 0x1f:
      // Infinity or NaN, keeping the NaN payload.
      return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13))
    default:
      return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
  }

  /// IEEE 754 half-precision bits nearest to `value` (overflow gives infinity).
  static func halfBits(from value: Float) -> UInt16 {
    let bits = value.bitPattern
    let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
    let exponent = Int((bits >> 23) & 0xff)
    var mantissa = bits & 0x7f_ffff
    if exponent == 0xff {
      // Infinity stays infinity; NaN stays a quiet NaN with the top payload bits.
      let payload = mantissa == 0 ? 0 : UInt16(truncatingIfNeeded: 0x200 | (mantissa >> 13))
      return sign | 0x7c00 | payload
    }
    let halfExponent = exponent - 127 + 15
    if halfExponent >= 0x1f { return sign | 0x7c00 }
    if halfExponent <= 0 {
      // Subnormal in half precision (or zero when too small to round up).
      if halfExponent < -10 { return sign }
      mantissa |= 0x80_0000
      let shift = UInt32(14 - halfExponent)
      var half = mantissa >> shift
      let remainder = mantissa & ((1 << shift) - 1)
      let halfway = UInt32(1) << (shift - 1)
      if remainder > halfway || (remainder == halfway && half & 1 == 1) { half += 1 }
      return sign | UInt16(truncatingIfNeeded: half)
    }
    var half = UInt32(halfExponent) << 10 | (mantissa >> 13)
    let remainder = mantissa & 0x1fff
    // A carry out of the mantissa correctly bumps the exponent (up to infinity).
    if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) { half += 1 }
    return sign | UInt16(truncatingIfNeeded: half)
  }

  /// The exact `Float` value of bfloat16 bits.
  static func float(fromBFloat16 bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
  }

  /// The bfloat16 bits nearest to `value` (overflow gives infinity).
  static func bfloat16Bits(from value: Float) -> UInt16 {
    let bits = value.bitPattern
    if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x40 }
    let rounding: UInt32 = 0x7fff + ((bits >> 16) & 1)
    return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
  }

  /// `value` rounded to `Float` with round-to-odd, so that a second rounding to a format with at
  /// most 22 significand bits (half, bfloat16) gives the correctly rounded result.
  static func floatRoundedToOdd(_ value: Double) -> Float {
    let nearest = Float(value)
    guard value.isFinite, Double(nearest) != value else { return nearest }
    // Truncate toward zero, then force the last bit to one.
    var truncated = nearest
    if abs(Double(nearest)) > abs(value) { truncated = nearest > 0 ? nearest.nextDown : nearest.nextUp }
    return Float(bitPattern: truncated.bitPattern | 1)
  }
}
