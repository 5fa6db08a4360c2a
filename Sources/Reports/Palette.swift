/// The categorical colours shared by every chart (series, clusters, groups).
public enum Palette {
  /// Twenty distinct colours: the Tableau-10 hues (without grey), their light variants and a
  /// few darker extras. Index with `color(forCategory:)`, which wraps around.
  public static let categorical: [RGBColor] = [
    0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0xBCBD22, 0x17BECF,
    0x393B79, 0xAEC7E8, 0xFFBB78, 0x98DF8A, 0xFF9896, 0xC5B0D5, 0xC49C94, 0xF7B6D2, 0xDBDB8D,
    0x9EDAE5, 0x637939,
  ].map(RGBColor.init(hex:))

  /// The colour for "no category" (cluster id -1 and other negative ids).
  public static let uncategorized = RGBColor(hex: 0xB4B4B4)

  /// The colour of category `id`; negative ids are `uncategorized`, ids past the end wrap.
  public static func color(forCategory id: Int) -> RGBColor {
    id < 0 ? uncategorized : categorical[id % categorical.count]
  }
}
