/// A failure to parse a Python literal, with the character offset where it was found.
struct PythonLiteralSyntaxError: Error {
  let message: String
  let offset: Int
}

/// A small recursive-descent parser for the Python literal subset NumPy writes in `.npy`
/// headers: dicts, tuples, lists, quoted strings, integers (with an optional Python 2 `L`
/// suffix), `True`, `False` and `None`, with any spacing and trailing commas.
struct PythonLiteralParser {
  private let scalars: [Unicode.Scalar]
  private var position = 0
  private var depth = 0
  private static let maximumDepth = 32

  /// Parses `text` as exactly one literal surrounded by optional whitespace.
  static func parse(_ text: String) throws(PythonLiteralSyntaxError) -> PythonLiteral {
    var parser = PythonLiteralParser(scalars: Array(text.unicodeScalars))
    let value = try parser.parseValue()
    parser.skipWhitespace()
    guard parser.position == parser.scalars.count else { throw parser.error("unexpected text after the literal") }
    return value
  }

  private init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

  private func error(_ message: String) -> PythonLiteralSyntaxError {
    PythonLiteralSyntaxError(message: message, offset: position)
  }

  private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

  private mutating func skipWhitespace() {
    while let scalar = current, scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" {
      position += 1
    }
  }

  private mutating func parseValue() throws(PythonLiteralSyntaxError) -> PythonLiteral {
    skipWhitespace()
    guard let scalar = current else { throw error("unexpected end of text") }
    switch scalar {
    case "{": return try parseDict()
    case "(":
      let (items, sawComma) = try parseSequence(closing: ")")
      // `(x)` is just `x` in Python; only a comma or emptiness makes a tuple.
      if items.count == 1 && !sawComma { return items[0] }
      return .tuple(items)
    case "[": return .list(try parseSequence(closing: "]").items)
    case "'", "\"": return .string(try parseString())
    case "-", "+", "0"..."9": return .integer(try parseInteger())
    case "a"..."z", "A"..."Z", "_":
      let start = position
      while let next = current, next.properties.isAlphabetic || next == "_" { position += 1 }
      let word = String(String.UnicodeScalarView(scalars[start..<position]))
      switch word {
      case "True": return .bool(true)
      case "False": return .bool(false)
      case "None": return .none
      default:
        position = start
        throw error("unknown name '\(word)'")
      }
    default: throw error("unexpected character '\(scalar)'")
    }
  }

  private mutating func enterContainer() throws(PythonLiteralSyntaxError) {
    depth += 1
    guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
    position += 1
  }

  private mutating func parseDict() throws(PythonLiteralSyntaxError) -> PythonLiteral {
    try enterContainer()
    defer { depth -= 1 }
    var items: [(key: PythonLiteral, value: PythonLiteral)] = []
    while true {
      skipWhitespace()
      if current == "}" {
        position += 1
        return .dict(items)
      }
      let key = try parseValue()
      skipWhitespace()
      guard current == ":" else { throw error("expected ':' after a dict key") }
      position += 1
      items.append((key, try parseValue()))
      skipWhitespace()
      if current == "," {
        position += 1
      } else if current != "}" {
        throw error("expected ',' or '}' in dict")
      }
    }
  }

  /// Items up to `closing`, and whether any comma separated or followed them.
  private mutating func parseSequence(closing: Unicode.Scalar) throws(PythonLiteralSyntaxError)
    -> (items: [PythonLiteral], sawComma: Bool)
  {
    try enterContainer()
    defer { depth -= 1 }
    var items: [PythonLiteral] = []
    var sawComma = false
    while true {
      skipWhitespace()
      if current == closing {
        position += 1
        return (items, sawComma)
      }
      items.append(try parseValue())
      skipWhitespace()
      if current == "," {
        sawComma = true
        position += 1
      } else if current != closing {
        throw error("expected ',' or '\(closing)'")
      }
    }
  }

  private mutating func parseString() throws(PythonLiteralSyntaxError) -> String {
    guard let quote = current else { throw error("expected a string") }
    position += 1
    var result = String.UnicodeScalarView()
    while true {
      guard let scalar = current else { throw error("unterminated string") }
      position += 1
      if scalar == quote { return String(result) }
      if scalar == "\n" { throw error("line break in string") }
      guard scalar == "\\" else {
        result.append(scalar)
        continue
      }
      guard let escaped = current else { throw error("unterminated string") }
      position += 1
      switch escaped {
      case "n": result.append("\n")
      case "t": result.append("\t")
      case "r": result.append("\r")
      case "0": result.append("\0")
      case "\\", "'", "\"": result.append(escaped)
      default:
        result.append("\\")
        result.append(escaped)
      }
    }
  }

  private mutating func parseInteger() throws(PythonLiteralSyntaxError) -> Int {
    let start = position
    var negative = false
    if current == "-" || current == "+" {
      negative = current == "-"
      position += 1
    }
    var magnitude = 0
    var digits = 0
    while let scalar = current, ("0"..."9").contains(scalar) {
      let digit = Int(scalar.value - 48)
      let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = shifted.addingReportingOverflow(digit)
      guard !overflow1, !overflow2 else {
        position = start
        throw error("integer too large")
      }
      magnitude = sum
      digits += 1
      position += 1
    }
    guard digits > 0 else { throw error("expected digits") }
    if current == "L" || current == "l" { position += 1 }  // Python 2 long suffix.
    if let next = current, next == "." || next == "e" || next == "E" || next == "j" {
      throw error("expected an integer, found a non-integer number")
    }
    return negative ? -magnitude : magnitude
  }
}
