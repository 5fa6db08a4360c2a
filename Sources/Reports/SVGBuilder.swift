import Foundation

/// Something that draws itself as a standalone SVG document.
public protocol SVGChart: Sendable {
  /// A complete `<svg>` element with `xmlns`, `width`, `height` and `viewBox`. The same chart
  /// always produces the same string.
  func svg() -> String
}

/// Text anchoring for SVG `<text>`.
enum TextAnchor: String {
  case start, middle, end
}

/// Accumulates SVG elements with deterministic number formatting and escaped text.
struct SVGBuilder {
  static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
  static let textColor = "#222"
  static let mutedTextColor = "#555"
  static let axisColor = "#444"
  static let gridColor = "#e6e6e6"

  private(set) var body = ""

  /// Average glyph advance as a fraction of the font size, used to estimate label widths.
  static func textWidth(_ text: String, fontSize: Double) -> Double {
    Double(text.count) * fontSize * 0.6
  }

  static func n(_ value: Double) -> String { NumberFormatting.coordinate(value) }

  mutating func raw(_ markup: String) { body += markup }

  mutating func comment(_ text: String) {
    body += "<!-- " + text.replacingOccurrences(of: "--", with: "- -") + " -->\n"
  }

  mutating func openGroup(_ attributes: [(String, String)] = []) {
    body += "<g" + Self.attributes(attributes) + ">\n"
  }

  mutating func closeGroup() { body += "</g>\n" }

  mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String,
    stroke: String? = nil, strokeWidth: Double = 1, extra: [(String, String)] = [], tooltip: String? = nil
  ) {
    var attrs = [
      ("x", Self.n(x)), ("y", Self.n(y)), ("width", Self.n(max(0, width))), ("height", Self.n(max(0, height))), ("fill", fill),
    ]
    if let stroke {
      attrs.append(("stroke", stroke))
      attrs.append(("stroke-width", Self.n(strokeWidth)))
    }
    attrs += extra
    element("rect", attrs, tooltip: tooltip)
  }

  mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
    dash: String? = nil, opacity: Double? = nil, extra: [(String, String)] = []
  ) {
    var attrs = [
      ("x1", Self.n(x1)), ("y1", Self.n(y1)), ("x2", Self.n(x2)), ("y2", Self.n(y2)), ("stroke", stroke),
      ("stroke-width", Self.n(width)),
    ]
    if let dash { attrs.append(("stroke-dasharray", dash)) }
    if let opacity { attrs.append(("stroke-opacity", Self.n(opacity))) }
    attrs += extra
    element("line", attrs)
  }

  mutating func circle(
    cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil, strokeWidth: Double = 1,
    extra: [(String, String)] = [], tooltip: String? = nil
  ) {
    var attrs = [("cx", Self.n(cx)), ("cy", Self.n(cy)), ("r", Self.n(r)), ("fill", fill)]
    if let stroke {
      attrs.append(("stroke", stroke))
      attrs.append(("stroke-width", Self.n(strokeWidth)))
    }
    attrs += extra
    element("circle", attrs, tooltip: tooltip)
  }

  /// A path from `d`; fill defaults to none.
  mutating func path(
    _ d: String, stroke: String, width: Double = 1, fill: String = "none", opacity: Double? = nil,
    extra: [(String, String)] = []
  ) {
    var attrs = [("d", d), ("fill", fill), ("stroke", stroke), ("stroke-width", Self.n(width))]
    if let opacity { attrs.append(("stroke-opacity", Self.n(opacity))) }
    attrs += extra
    element("path", attrs)
  }

  /// A polyline through `points`.
  mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, extra: [(String, String)] = []) {
    guard !points.isEmpty else { return }
    let list = points.map { Self.n($0.0) + "," + Self.n($0.1) }.joined(separator: " ")
    element(
      "polyline",
      [
        ("points", list), ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.n(width)),
        ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
      ] + extra)
  }

  /// Escaped text. `rotation` is in degrees about the anchor point; `centered` shifts the
  /// baseline so the text is vertically centred on `y`.
  mutating func text(
    _ string: String, x: Double, y: Double, size: Double = 11, anchor: TextAnchor = .start,
    fill: String = SVGBuilder.textColor, weight: String? = nil, rotation: Double = 0, centered: Bool = false,
    extra: [(String, String)] = []
  ) {
    var attrs = [("x", Self.n(x)), ("y", Self.n(y)), ("font-size", Self.n(size)), ("fill", fill)]
    if anchor != .start { attrs.append(("text-anchor", anchor.rawValue)) }
    if centered { attrs.append(("dy", "0.35em")) }
    if let weight { attrs.append(("font-weight", weight)) }
    if rotation != 0 { attrs.append(("transform", "rotate(\(Self.n(rotation)) \(Self.n(x)) \(Self.n(y)))")) }
    attrs += extra
    body += "<text" + Self.attributes(attrs) + ">" + string.htmlEscaped + "</text>\n"
  }

  /// An element with optional `<title>` tooltip child.
  mutating func element(_ name: String, _ attrs: [(String, String)], tooltip: String? = nil) {
    if let tooltip {
      body += "<\(name)" + Self.attributes(attrs) + "><title>" + tooltip.htmlEscaped + "</title></\(name)>\n"
    } else {
      body += "<\(name)" + Self.attributes(attrs) + "/>\n"
    }
  }

  static func attributes(_ attrs: [(String, String)]) -> String {
    attrs.map { " \($0.0)=\"\($0.1.htmlEscaped)\"" }.joined()
  }

  /// The finished standalone document.
  func document(width: Double, height: Double, title: String?, className: String) -> String {
    let w = Self.n(width.rounded(.up)), h = Self.n(height.rounded(.up))
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
    out += " class=\"\(className.htmlEscaped)\" role=\"img\" font-family=\"\(Self.fontFamily.htmlEscaped)\">\n"
    if let title, !title.isEmpty { out += "<title>" + title.htmlEscaped + "</title>\n" }
    out += "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
    out += body
    out += "</svg>"
    return out
  }
}
