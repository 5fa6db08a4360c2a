import Foundation

/// Deterministic, locale-independent number formatting for labels and SVG coordinates.
enum NumberFormatting {
  /// `value` with exactly `decimals` digits after the point (no exponent), "-0" normalised to "0".
  static func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
    let decimals = max(0, min(decimals, 12))
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e15 else { return scientific(value, significantDigits: 3) }
    let integer = UInt64(scaled)
    let divisor = UInt64(scale)
    let whole = integer / divisor
    var text = String(whole)
    if decimals > 0 {
      let fraction = String(integer % divisor)
      text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
    return (value < 0 && integer != 0 ? "-" : "") + text
  }

  /// `value` with at most `decimals` digits after the point, trailing zeros removed.
  static func trimmed(_ value: Double, maxDecimals decimals: Int) -> String {
    var text = fixed(value, decimals: decimals)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }

  /// An SVG coordinate: at most two decimals.
  static func coordinate(_ value: Double) -> String {
    trimmed(value.isFinite ? value : 0, maxDecimals: 2)
  }

  /// Scientific notation such as `1.5e-4` with `significantDigits` digits.
  static func scientific(_ value: Double, significantDigits: Int) -> String {
    guard value.isFinite else { return fixed(value, decimals: 0) }
    if value == 0 { return "0" }
    var exponent = Int(log10Floor(abs(value)))
    var mantissa = value / power10(exponent)
    let digits = max(1, significantDigits) - 1
    var text = trimmed(mantissa, maxDecimals: digits)
    if text == "10" || text == "-10" {
      exponent += 1
      mantissa /= 10
      text = trimmed(mantissa, maxDecimals: digits)
    }
    return text + "e" + String(exponent)
  }

  /// A compact human-readable number: up to `significantDigits` significant digits, scientific
  /// notation for very large or very small magnitudes.
  static func compact(_ value: Double, significantDigits: Int = 3) -> String {
    guard value.isFinite else { return fixed(value, decimals: 0) }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude >= 1e6 || magnitude < 1e-3 { return scientific(value, significantDigits: significantDigits) }
    let exponent = Int(log10Floor(magnitude))
    let decimals = max(0, significantDigits - 1 - exponent)
    return trimmed(value, maxDecimals: decimals)
  }

  static func power10(_ exponent: Int) -> Double {
    var result = 1.0
    if exponent >= 0 {
      for _ in 0..<exponent { result *= 10 }
    } else {
      for _ in 0..<(-exponent) { result /= 10 }
    }
    return result
  }

  /// `floor(log10(x))` for positive `x`, robust to rounding at exact powers of ten.
  static func log10Floor(_ x: Double) -> Double {
    var e = (log10(x)).rounded(.down)
    if power10(Int(e) + 1) <= x { e += 1 }
    if power10(Int(e)) > x { e -= 1 }
    return e
  }
}
