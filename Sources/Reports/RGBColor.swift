import Foundation

/// An opaque 8-bit sRGB colour.
public struct RGBColor: Hashable, Sendable {
  /// The red channel.
  public var red: UInt8
  /// The green channel.
  public var green: UInt8
  /// The blue channel.
  public var blue: UInt8

  /// A colour from 8-bit channels.
  public init(red: UInt8, green: UInt8, blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// A colour from a 24-bit value such as `0x440154`.
  public init(hex: UInt32) {
    self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
  }

  /// CSS notation, lowercase: `#rrggbb`.
  public var hexString: String {
    let digits = Array("0123456789abcdef")
    var text = "#"
    for channel in [red, green, blue] {
      text.append(digits[Int(channel >> 4)])
      text.append(digits[Int(channel & 0xF)])
    }
    return text
  }

  /// Relative luminance in [0, 1] (WCAG), used to pick a readable text colour on top.
  public var luminance: Double {
    func linear(_ c: UInt8) -> Double {
      let v = Double(c) / 255
      return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
  }

  /// Black or white, whichever contrasts more with this colour.
  public var contrastingTextColor: RGBColor {
    luminance > 0.179 ? RGBColor(hex: 0x111111) : RGBColor(hex: 0xFFFFFF)
  }

  /// This colour, darkened if needed so text in it stays readable on a white background.
  public var readableOnWhite: RGBColor {
    var color = self
    while color.luminance > 0.3 {
      color = color.interpolated(to: RGBColor(red: 0, green: 0, blue: 0), fraction: 0.2)
    }
    return color
  }

  /// Linear interpolation in sRGB, `t` in [0, 1], channels rounded to nearest.
  public func interpolated(to other: RGBColor, fraction t: Double) -> RGBColor {
    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
      UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded().clamped(to: 0...255))
    }
    return RGBColor(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
  }
}

extension Comparable {
  func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
