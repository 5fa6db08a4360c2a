/// A parsed JSON value that keeps object keys in file order and tells integers from other
/// numbers, which the safetensors header needs and `JSONSerialization` does not give.
indirect enum JSONValue {
  case null
  case bool(Bool)
  /// A number written without fraction or exponent that fits in `Int`.
  case integer(Int)
  /// Any other number.
  case number(Double)
  case string(String)
  case array([JSONValue])
  /// Members in the order they appear in the text.
  case object([(key: String, value: JSONValue)])

  /// A short name of the value's kind for messages ("a string", "an array", ...).
  var kindName: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .integer: "an integer"
    case .number: "a non-integer number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }

  /// `text` as a JSON string literal.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
