/// A user-facing problem with a network, its file or a forward request.
public enum NetworkError: Error, CustomStringConvertible, Equatable {
  case invalidArchitecture(String)
  case unknownSite(String, available: [String])
  case notOnMainPath(String)
  case missingParameter(String)
  case shapeMismatch(parameter: String, expected: [Int], found: [Int])
  case inputShape(expected: [Int], found: [Int])
  case nonFinite(String)

  public var description: String {
    switch self {
    case .invalidArchitecture(let why): "invalid architecture: \(why)"
    case .unknownSite(let name, let available):
      "unknown site \"\(name)\"; sites are: \(available.joined(separator: ", "))"
    case .notOnMainPath(let name): "a section cannot start at \"\(name)\": it is a side site, not on the main path"
    case .missingParameter(let name): "parameter \"\(name)\" is missing"
    case .shapeMismatch(let name, let expected, let found):
      "parameter \"\(name)\" has shape \(found), the architecture needs \(expected)"
    case .inputShape(let expected, let found): "input has per-sample shape \(found), the network expects \(expected)"
    case .nonFinite(let what): "\(what) contains NaN or infinity"
    }
  }
}
