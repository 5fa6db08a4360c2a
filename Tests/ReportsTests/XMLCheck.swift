import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Parses `markup` as XML; returns nil when well-formed, else a description of the first error.
func xmlError(in markup: String) -> String? {
  let parser = XMLParser(data: Data(markup.utf8))
  if parser.parse() { return nil }
  let error = parser.parserError.map { "\($0)" } ?? "unknown error"
  return "line \(parser.lineNumber), column \(parser.columnNumber): \(error)"
}

/// The number of non-overlapping occurrences of `needle` in `haystack`.
func occurrences(of needle: String, in haystack: String) -> Int {
  haystack.components(separatedBy: needle).count - 1
}

/// Geometry attributes whose value is not a plain number (e.g. NaN or infinity leaked into a
/// coordinate).
func nonNumericGeometry(in svg: String) -> [String] {
  let pattern = #"\s(x|y|x1|x2|y1|y2|cx|cy|r|width|height)="([^"]*)""#
  let regex = try! NSRegularExpression(pattern: pattern)
  let text = svg as NSString
  return regex.matches(in: svg, range: NSRange(location: 0, length: text.length)).compactMap { match in
    let value = text.substring(with: match.range(at: 2))
    return Double(value).map { $0.isFinite } == true ? nil : text.substring(with: match.range)
  }
}
