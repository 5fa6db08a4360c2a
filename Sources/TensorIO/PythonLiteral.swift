/// A Python literal of the kinds that appear in a `.npy` header dict.
indirect enum PythonLiteral {
  case string(String)
  case integer(Int)
  case bool(Bool)
  case none
  case tuple([PythonLiteral])
  case list([PythonLiteral])
  /// Items in the order they appear in the text.
  case dict([(key: PythonLiteral, value: PythonLiteral)])

  /// A short name of the literal's kind for messages.
  var kindName: String {
    switch self {
    case .string: "a string"
    case .integer: "an integer"
    case .bool: "a boolean"
    case .none: "None"
    case .tuple: "a tuple"
    case .list: "a list"
    case .dict: "a dict"
    }
  }
}
