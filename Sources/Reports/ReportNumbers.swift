import Foundation

/// How report sections print a statistic: four decimals, or three significant digits in
/// scientific notation below 1e-3; infinities and NaN spelled out.
public enum ReportNumbers {
  public static func format(_ value: Double) -> String {
    guard value.isFinite else { return "\(value)" }
    return value != 0 && Swift.abs(value) < 1e-3 ? String(format: "%.2e", value) : String(format: "%.4f", value)
  }
}
