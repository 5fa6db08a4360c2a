import Foundation

/// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, with bounds widened outward to
/// whole steps (0...0.93 gives 0, 0.2, …, 1.0).
public struct AxisTicks: Hashable, Sendable {
  /// The widened lower bound (the first tick).
  public let lower: Double
  /// The widened upper bound (the last tick).
  public let upper: Double
  /// The spacing between ticks.
  public let step: Double
  /// The tick values from `lower` to `upper` inclusive.
  public let values: [Double]
  /// Digits after the decimal point needed to tell ticks apart.
  public let decimals: Int

  /// Ticks covering `lower...upper` with about `targetCount` intervals.
  ///
  /// Non-finite bounds fall back to 0...1; an empty range is widened around its value.
  public init(covering lower: Double, _ upper: Double, targetCount: Int = 5) {
    var lo = lower.isFinite ? lower : 0
    var hi = upper.isFinite ? upper : 1
    if lo > hi { swap(&lo, &hi) }
    if hi - lo <= Swift.max(abs(lo), abs(hi)) * 1e-12 {
      let pad = lo == 0 ? 1 : abs(lo) * 0.1
      lo -= pad
      hi += pad
    }
    let step = Self.niceStep(forSpan: hi - lo, targetCount: Swift.max(1, targetCount))
    let first = (lo / step + 1e-9).rounded(.down)
    let last = (hi / step - 1e-9).rounded(.up)
    let decimals = Swift.max(0, -Int(NumberFormatting.log10Floor(step)))
    var values: [Double] = []
    var k = first
    while k <= last + 0.5 {
      values.append(Self.clean(k * step, decimals: decimals))
      k += 1
    }
    self.lower = values.first!
    self.upper = values.last!
    self.step = step
    self.values = values
    self.decimals = decimals
  }

  /// The smallest step of the form {1, 2, 5} × 10^k that is at least `span / targetCount`.
  public static func niceStep(forSpan span: Double, targetCount: Int) -> Double {
    let raw = span / Double(Swift.max(1, targetCount))
    guard raw.isFinite, raw > 0 else { return 1 }
    let exponent = Int(NumberFormatting.log10Floor(raw))
    let base = NumberFormatting.power10(exponent)
    for multiple in [1.0, 2, 5, 10] where multiple * base >= raw * (1 - 1e-9) {
      return multiple * base
    }
    return 10 * base
  }

  /// Ticks for a base-10 logarithmic axis covering the positive range `lower...upper`: powers of
  /// ten within `logarithmicBounds`, plus 2× and 5× when the range spans fewer than three decades.
  public static func logarithmic(covering lower: Double, _ upper: Double) -> [Double] {
    let (lo, hi) = logarithmicBounds(covering: lower, upper)
    let firstExponent = Int(NumberFormatting.log10Floor(lo))
    let lastExponent = Int(NumberFormatting.log10Floor(hi))
    let multiples: [Double] = lastExponent - firstExponent < 3 ? [1, 2, 5] : [1]
    var ticks: [Double] = []
    for e in firstExponent...lastExponent {
      for m in multiples {
        let value = m * NumberFormatting.power10(e)
        if value >= lo * (1 - 1e-9) && value <= hi * (1 + 1e-9) { ticks.append(value) }
      }
    }
    return ticks
  }

  /// Bounds for a logarithmic axis covering the positive range `lower...upper`: the nearest
  /// values of the form {1, 2, 5} × 10^k outside it (non-positive inputs are ignored).
  public static func logarithmicBounds(covering lower: Double, _ upper: Double) -> (lower: Double, upper: Double) {
    var lo = lower, hi = upper
    if !(lo > 0 && lo.isFinite) { lo = hi > 0 && hi.isFinite ? hi / 10 : 1 }
    if !(hi > 0 && hi.isFinite) { hi = lo * 10 }
    if lo > hi { swap(&lo, &hi) }
    let loBase = NumberFormatting.power10(Int(NumberFormatting.log10Floor(lo)))
    let bottom = [5.0, 2, 1].map { $0 * loBase }.first { $0 <= lo * (1 + 1e-12) } ?? loBase
    let hiBase = NumberFormatting.power10(Int(NumberFormatting.log10Floor(hi)))
    var top = [1.0, 2, 5, 10].map { $0 * hiBase }.first { $0 >= hi * (1 - 1e-12) } ?? 10 * hiBase
    if top <= bottom { top = [2.0, 5, 10].map { $0 * hiBase }.first { $0 > bottom } ?? 10 * hiBase }
    return (bottom, top)
  }

  /// A label for `value` with this axis's precision (scientific for extreme magnitudes).
  public func label(for value: Double) -> String {
    let magnitude = Swift.max(abs(lower), abs(upper))
    if magnitude >= 1e6 || (decimals > 5) {
      return NumberFormatting.scientific(value, significantDigits: 3)
    }
    return NumberFormatting.fixed(value, decimals: decimals)
  }

  /// A label for a tick on a logarithmic axis.
  public static func logarithmicLabel(for value: Double) -> String {
    value >= 1e-3 && value < 1e5
      ? NumberFormatting.compact(value, significantDigits: 3)
      : NumberFormatting.scientific(value, significantDigits: 2)
  }

  /// `value` rounded to `decimals` places, removing binary noise such as 0.30000000000000004.
  private static func clean(_ value: Double, decimals: Int) -> Double {
    guard decimals <= 15 else { return value }
    let scale = NumberFormatting.power10(decimals)
    let result = (value * scale).rounded() / scale
    return result == 0 ? 0 : result
  }
}
