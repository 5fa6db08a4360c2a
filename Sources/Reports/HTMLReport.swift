import Foundation

/// A self-contained HTML5 report: a title, a table of contents and nested sections of text,
/// tables and inline SVG charts. No scripts, fonts, images or other external resources, so the
/// single file opens anywhere; the markup is also well-formed XML.
public struct HTMLReport: Sendable {
  /// One entry of a key-value table.
  public struct KeyValue: Hashable, Sendable {
    /// The name (first column).
    public var key: String
    /// The value (second column).
    public var value: String

    /// A row `key`: `value`.
    public init(_ key: String, _ value: String) {
      self.key = key
      self.value = value
    }
  }

  /// A chart with an optional caption.
  public struct Figure: Sendable {
    /// The chart to embed.
    public var chart: any SVGChart
    /// Text shown under the chart.
    public var caption: String?

    /// A figure showing `chart`.
    public init(_ chart: any SVGChart, caption: String? = nil) {
      self.chart = chart
      self.caption = caption
    }
  }

  /// One piece of section content.
  public indirect enum Block: Sendable {
    /// A paragraph of plain text (escaped; blank lines are kept as separate paragraphs).
    case paragraph(String)
    /// A two-column table of names and values.
    case keyValues([KeyValue])
    /// A table with a header row; short rows are padded with empty cells.
    case table(header: [String], rows: [[String]])
    /// Monospaced text, whitespace preserved.
    case preformatted(String)
    /// One chart with an optional caption.
    case chart(any SVGChart, caption: String? = nil)
    /// Charts side by side, wrapping on narrow screens (e.g. a GW heatmap beside a CKA heatmap).
    case figures([Figure])
    /// A grid of small images with an optional caption.
    case images(ImageGrid, caption: String? = nil)
    /// A nested section (its heading is one level deeper).
    case subsection(Section)
  }

  /// A titled part of the report; sections appear in the table of contents.
  public struct Section: Sendable {
    /// The heading text (also listed in the table of contents).
    public var heading: String
    /// A paragraph shown under the heading.
    public var intro: String?
    /// The content, in order.
    public var blocks: [Block]
    /// The anchor id; `nil` derives one from the heading (made unique in the document).
    public var anchor: String?

    /// A section; `anchor` overrides the id derived from the heading.
    public init(heading: String, intro: String? = nil, blocks: [Block] = [], anchor: String? = nil) {
      self.heading = heading
      self.intro = intro
      self.blocks = blocks
      self.anchor = anchor
    }
  }

  /// The document title (`<title>` and the top heading).
  public var title: String
  /// Free text shown under the title, e.g. "Generated 2025-01-31 12:00 UTC by netatlas 0.3".
  /// Supplied by the caller so rendering stays deterministic.
  public var generatedLine: String?
  /// A paragraph shown before the table of contents.
  public var summary: String?
  /// The top-level sections, in order.
  public var sections: [Section]
  /// Whether to include the table of contents (when there are sections).
  public var includesTableOfContents: Bool

  /// A report; fill `sections` now or append them later.
  public init(
    title: String, generatedLine: String? = nil, summary: String? = nil, sections: [Section] = [],
    includesTableOfContents: Bool = true
  ) {
    self.title = title
    self.generatedLine = generatedLine
    self.summary = summary
    self.sections = sections
    self.includesTableOfContents = includesTableOfContents
  }

  /// The complete document. The same report always renders to the same string.
  public func render() -> String {
    var anchors = AnchorAllocator()
    let tree = sections.map { AnchoredSection($0, anchors: &anchors) }
    var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
    out += "<title>\(title.htmlEscaped)</title>\n<style>\n\(ReportStyle.css)\n</style>\n</head>\n<body>\n<main>\n"
    out += "<header class=\"report-header\">\n<h1>\(title.htmlEscaped)</h1>\n"
    if let generatedLine, !generatedLine.isEmpty { out += "<p class=\"meta\">\(generatedLine.htmlEscaped)</p>\n" }
    out += "</header>\n"
    if let summary, !summary.isEmpty { out += paragraphs(summary, className: "intro") }
    if includesTableOfContents && !tree.isEmpty {
      out += "<nav class=\"toc\">\n<h2>Contents</h2>\n" + tableOfContents(tree) + "</nav>\n"
    }
    for section in tree { out += render(section, level: 2) }
    out += "<footer>Self-contained report: no scripts or external resources.</footer>\n"
    out += "</main>\n</body>\n</html>\n"
    return out
  }

  /// Writes the rendered report as UTF-8 to `url` atomically: a temporary file in the same
  /// folder, renamed over the destination.
  public func write(to url: URL) throws {
    try Self.writeAtomically(Data(render().utf8), to: url)
  }

  /// Writes `data` to `url` atomically (temporary file in the same folder, then rename), e.g. for
  /// the JSON results written next to the report.
  public static func writeAtomically(_ data: Data, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    do {
      try data.write(to: temporary)
      guard rename(temporary.path, url.path) == 0 else {
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
      }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
  }

  // MARK: - Rendering

  private func tableOfContents(_ sections: [AnchoredSection]) -> String {
    var out = "<ol>\n"
    for section in sections {
      out += "<li><a href=\"#\(section.anchor.htmlEscaped)\">\(section.section.heading.htmlEscaped)</a>"
      let children = section.children
      if !children.isEmpty { out += "\n" + tableOfContents(children) }
      out += "</li>\n"
    }
    return out + "</ol>\n"
  }

  private func render(_ node: AnchoredSection, level: Int) -> String {
    let section = node.section
    let h = "h\(min(level, 6))"
    var out = "<section class=\"report-section\" id=\"\(node.anchor.htmlEscaped)\">\n"
    out += "<\(h)>\(section.heading.htmlEscaped)</\(h)>\n"
    if let intro = section.intro, !intro.isEmpty { out += paragraphs(intro, className: "intro") }
    var childIndex = 0
    for block in section.blocks {
      switch block {
      case .paragraph(let text):
        out += paragraphs(text, className: nil)
      case .keyValues(let entries):
        out += "<div class=\"table-wrap\"><table class=\"key-values\">\n<tbody>\n"
        for entry in entries {
          out += "<tr><th scope=\"row\">\(entry.key.htmlEscaped)</th><td>\(entry.value.htmlEscaped)</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
      case .table(let header, let rows):
        let width = max(header.count, rows.map(\.count).max() ?? 0)
        out += "<div class=\"table-wrap\"><table>\n"
        if !header.isEmpty {
          out +=
            "<thead><tr>" + (0..<width).map { "<th>\((($0 < header.count) ? header[$0] : "").htmlEscaped)</th>" }.joined()
            + "</tr></thead>\n"
        }
        out += "<tbody>\n"
        for row in rows {
          out += "<tr>" + (0..<width).map { "<td>\((($0 < row.count) ? row[$0] : "").htmlEscaped)</td>" }.joined() + "</tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
      case .preformatted(let text):
        out += "<pre>\(text.htmlEscaped)</pre>\n"
      case .chart(let chart, let caption):
        out += figure(chart, caption: caption)
      case .figures(let figures):
        out += "<div class=\"figure-row\">\n" + figures.map { figure($0.chart, caption: $0.caption) }.joined() + "</div>\n"
      case .images(let grid, let caption):
        out += figure(grid, caption: caption)
      case .subsection:
        out += render(node.children[childIndex], level: level + 1)
        childIndex += 1
      }
    }
    return out + "</section>\n"
  }

  private func figure(_ chart: any SVGChart, caption: String?) -> String {
    var out = "<figure class=\"chart\">\n" + chart.svg() + "\n"
    if let caption, !caption.isEmpty { out += "<figcaption>\(caption.htmlEscaped)</figcaption>\n" }
    return out + "</figure>\n"
  }

  /// Text split on blank lines into `<p>` elements.
  private func paragraphs(_ text: String, className: String?) -> String {
    let attribute = className.map { " class=\"\($0)\"" } ?? ""
    return text.components(separatedBy: "\n\n")
      .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      .filter { !$0.isEmpty }
      .map { "<p\(attribute)>\($0.htmlEscaped)</p>\n" }
      .joined()
  }
}

/// A section with its resolved anchor and its subsections (in block order).
private struct AnchoredSection {
  let section: HTMLReport.Section
  let anchor: String
  let children: [AnchoredSection]

  init(_ section: HTMLReport.Section, anchors: inout AnchorAllocator) {
    self.section = section
    anchor = anchors.allocate(section.anchor ?? section.heading)
    var children: [AnchoredSection] = []
    for block in section.blocks {
      if case .subsection(let child) = block { children.append(AnchoredSection(child, anchors: &anchors)) }
    }
    self.children = children
  }
}

/// Unique, URL-safe anchor ids derived from headings ("Layer similarity" → "layer-similarity",
/// then "layer-similarity-2", …).
struct AnchorAllocator {
  private var used: Set<String> = []

  mutating func allocate(_ text: String) -> String {
    let base = Self.slug(text)
    var candidate = base
    var suffix = 2
    while used.contains(candidate) {
      candidate = "\(base)-\(suffix)"
      suffix += 1
    }
    used.insert(candidate)
    return candidate
  }

  static func slug(_ text: String) -> String {
    var slug = ""
    var pendingDash = false
    for scalar in text.lowercased().unicodeScalars {
      if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" {
        if pendingDash && !slug.isEmpty { slug += "-" }
        slug.unicodeScalars.append(scalar)
        pendingDash = false
      } else {
        pendingDash = true
      }
    }
    if slug.isEmpty { slug = "section" }
    if slug.first!.isNumber { slug = "s-" + slug }
    return slug
  }
}
