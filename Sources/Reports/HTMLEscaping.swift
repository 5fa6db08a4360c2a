extension String {
  /// The string with `&`, `<`, `>`, `"` and `'` replaced by character references, safe to put
  /// in HTML/SVG text and in quoted attribute values.
  ///
  /// Control characters that XML forbids (everything below U+0020 except tab, newline and
  /// carriage return) become U+FFFD, so the output also parses as XML.
  public var htmlEscaped: String {
    var result = ""
    result.reserveCapacity(utf8.count)
    for scalar in unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
          result.unicodeScalars.append("\u{FFFD}")
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result
  }
}
