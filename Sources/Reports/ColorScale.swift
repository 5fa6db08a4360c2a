/// A continuous colour scale: equally spaced colour stops with linear interpolation between them.
public struct ColorScale: Hashable, Sendable {
  /// The stops, from the colour for 0 to the colour for 1 (at least one).
  public var stops: [RGBColor]
  /// The colour used for NaN / missing values.
  public var missingColor: RGBColor

  /// A scale through `stops`, equally spaced on [0, 1].
  public init(stops: [RGBColor], missingColor: RGBColor = RGBColor(hex: 0xC8C8C8)) {
    precondition(!stops.isEmpty, "a colour scale needs at least one stop")
    self.stops = stops
    self.missingColor = missingColor
  }

  /// Perceptually uniform dark-purple → teal → yellow (matplotlib's viridis, sampled at 9 points).
  public static let viridis = ColorScale(
    stops: [
      0x440154, 0x472C7A, 0x3B518B, 0x2C718E, 0x21908D, 0x27AD81, 0x5CC863, 0xAADC32, 0xFDE725,
    ].map(RGBColor.init(hex:)))

  /// Light to dark grey (white for 0, near-black for 1).
  public static let grays = ColorScale(stops: [RGBColor(hex: 0xFFFFFF), RGBColor(hex: 0x111111)])

  /// Diverging blue → white → red, for signed values (give charts a symmetric value range so
  /// zero is white).
  public static let blueWhiteRed = ColorScale(
    stops: [
      0x2166AC, 0x67A9CF, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xEF8A62, 0xB2182B,
    ].map(RGBColor.init(hex:)))

  /// The colour at `t` in [0, 1] (clamped); NaN gives `missingColor`.
  public func color(at t: Double) -> RGBColor {
    guard !t.isNaN else { return missingColor }
    guard stops.count > 1 else { return stops[0] }
    let position = t.clamped(to: 0...1) * Double(stops.count - 1)
    let index = min(Int(position), stops.count - 2)
    return stops[index].interpolated(to: stops[index + 1], fraction: position - Double(index))
  }

  /// The colour for `value` mapped linearly from `range` onto [0, 1]; a degenerate range maps
  /// everything to the middle.
  public func color(for value: Double, in range: ClosedRange<Double>) -> RGBColor {
    guard value.isFinite else { return missingColor }
    let span = range.upperBound - range.lowerBound
    guard span > 0 else { return color(at: 0.5) }
    return color(at: (value - range.lowerBound) / span)
  }
}
