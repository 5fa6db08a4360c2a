import Testing

@testable import Reports

@Suite struct ScalesAndTicksTests {
  @Test func viridisEndpointsAndMidpoint() {
    let scale = ColorScale.viridis
    #expect(scale.color(at: 0).hexString == "#440154")
    #expect(scale.color(at: 1).hexString == "#fde725")
    #expect(scale.color(at: 0.5).hexString == "#21908d")
    #expect(scale.color(at: -3) == scale.color(at: 0))
    #expect(scale.color(at: 7) == scale.color(at: 1))
    #expect(scale.color(at: .nan) == scale.missingColor)
  }

  @Test func interpolatesBetweenStops() {
    // Halfway between stop 0 (0x44, 0x01, 0x54) and stop 1 (0x47, 0x2C, 0x7A): t = 1/16.
    let c = ColorScale.viridis.color(at: 1.0 / 16)
    #expect(c == RGBColor(red: 70, green: 23, blue: 103))  // (68+71)/2=69.5→70, (1+44)/2=22.5→23, (84+122)/2=103
    let gray = ColorScale(stops: [RGBColor(hex: 0x000000), RGBColor(hex: 0xFFFFFF)])
    #expect(gray.color(at: 0.25) == RGBColor(red: 64, green: 64, blue: 64))
    #expect(gray.color(for: 5, in: 0...10).hexString == "#808080")
    #expect(gray.color(for: 3, in: 3...3) == gray.color(at: 0.5))
  }

  @Test func paletteColorsAreDistinctAndWrap() {
    #expect(Set(Palette.categorical).count == Palette.categorical.count)
    #expect(Palette.categorical.count >= 12)
    #expect(Palette.color(forCategory: -1) == Palette.uncategorized)
    #expect(Palette.color(forCategory: Palette.categorical.count) == Palette.categorical[0])
    #expect(!Palette.categorical.contains(Palette.uncategorized))
  }

  @Test func niceTicksFollowOneTwoFive() {
    let ticks = AxisTicks(covering: 0, 0.93)
    #expect(ticks.values == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    #expect(ticks.step == 0.2)
    #expect(ticks.values.map(ticks.label(for:)) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])

    #expect(AxisTicks(covering: 1, 30).values == [0, 10, 20, 30])
    #expect(AxisTicks(covering: 1, 30, targetCount: 8).values == [0, 5, 10, 15, 20, 25, 30])
    #expect(AxisTicks(covering: -3.2, 7.9).values == [-5, 0, 5, 10])
    #expect(AxisTicks(covering: 0.2000000001, 0.8).values == [0.2, 0.4, 0.6, 0.8])
    #expect(AxisTicks(covering: 0.3, 0.31, targetCount: 5).step == 0.002)
    #expect(AxisTicks(covering: 0, 1234).values == [0, 500, 1000, 1500])
    #expect(AxisTicks.niceStep(forSpan: 1, targetCount: 4) == 0.5)
    #expect(AxisTicks.niceStep(forSpan: 7, targetCount: 7) == 1)
    #expect(AxisTicks.niceStep(forSpan: 0.011, targetCount: 5) == 0.005)
  }

  @Test func degenerateRangesStillGiveTicks() {
    let flat = AxisTicks(covering: 5, 5)
    #expect(flat.lower < 5 && flat.upper > 5 && flat.values.count >= 2)
    let zero = AxisTicks(covering: 0, 0)
    #expect(zero.lower <= -1 && zero.upper >= 1)
    let nonFinite = AxisTicks(covering: .nan, .infinity)
    #expect(nonFinite.values == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
  }

  @Test func logarithmicTicks() {
    #expect(AxisTicks.logarithmicBounds(covering: 0.03, 2.5) == (0.02, 5))
    #expect(AxisTicks.logarithmicBounds(covering: 0.001, 100) == (0.001, 100))
    #expect(AxisTicks.logarithmic(covering: 0.05, 5) == [0.05, 0.1, 0.2, 0.5, 1, 2, 5])
    #expect(AxisTicks.logarithmic(covering: 0.001, 100) == [0.001, 0.01, 0.1, 1, 10, 100])
    #expect(AxisTicks.logarithmic(covering: 1, 10) == [1, 2, 5, 10])
    #expect(AxisTicks.logarithmicLabel(for: 0.01) == "0.01")
    #expect(AxisTicks.logarithmicLabel(for: 1e-6) == "1e-6")
  }

  @Test func numberFormattingIsDeterministic() {
    #expect(NumberFormatting.fixed(0.1 + 0.2, decimals: 2) == "0.30")
    #expect(NumberFormatting.fixed(-0.0001, decimals: 2) == "0.00")
    #expect(NumberFormatting.fixed(-2.5, decimals: 1) == "-2.5")
    #expect(NumberFormatting.coordinate(12.3456) == "12.35")
    #expect(NumberFormatting.coordinate(40) == "40")
    #expect(NumberFormatting.compact(0.98213) == "0.982")
    #expect(NumberFormatting.compact(1234.5) == "1235")
    #expect(NumberFormatting.compact(0.00012) == "1.2e-4")
    #expect(NumberFormatting.scientific(9.999e-5, significantDigits: 2) == "1e-4")
  }
}
