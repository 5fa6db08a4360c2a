import Foundation
import Tensors
import Testing

@testable import TensorIO

/// The contents of Fixtures/expected.json (see scripts/make_io_fixtures.py).
struct ExpectedFixtures: Decodable {
  struct Array: Decodable {
    var name: String?
    var file: String?
    var dtype: String
    var shape: [Int]
    var values: [Value]
  }

  struct Archive: Decodable {
    var file: String
    var arrays: [Array]
  }

  struct Safetensors: Decodable {
    var file: String
    var metadata: [String: String]
    var tensors: [Array]
  }

  /// A JSON number, or "nan" / "inf" / "-inf".
  enum Value: Decodable {
    case integer(Int64)
    case number(Double)

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let text = try? container.decode(String.self) {
        switch text {
        case "nan": self = .number(.nan)
        case "inf": self = .number(.infinity)
        case "-inf": self = .number(-.infinity)
        default: throw DecodingError.dataCorruptedError(in: container, debugDescription: "bad value \(text)")
        }
      } else if let integer = try? container.decode(Int64.self) {
        self = .integer(integer)
      } else {
        self = .number(try container.decode(Double.self))
      }
    }

    var double: Double {
      switch self {
      case .integer(let value): Double(value)
      case .number(let value): value
      }
    }
  }

  var npy: [Array]
  var npz: [Archive]
  var safetensors: [Safetensors]

  static func load() throws -> ExpectedFixtures {
    try JSONDecoder().decode(ExpectedFixtures.self, from: Data(contentsOf: fixtureURL("expected.json")))
  }
}

/// Expects `array` to hold exactly the expected dtype, shape and values.
func expectMatches(
  _ array: StoredArray, _ expected: ExpectedFixtures.Array, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let label = expected.file ?? expected.name ?? "?"
  #expect(array.dtype.rawValue == expected.dtype, "\(label)", sourceLocation: sourceLocation)
  #expect(array.shape == expected.shape, "\(label)", sourceLocation: sourceLocation)
  #expect(array.count == expected.values.count, "\(label)", sourceLocation: sourceLocation)
  if array.dtype.isFloatingPoint {
    let doubles = array.tensor(as: Double.self).scalars
    let floats = array.tensor(as: Float.self).scalars
    for (index, value) in expected.values.enumerated() where index < doubles.count {
      let want = value.double
      if want.isNaN {
        #expect(doubles[index].isNaN && floats[index].isNaN, "\(label)[\(index)]", sourceLocation: sourceLocation)
      } else {
        #expect(doubles[index] == want, "\(label)[\(index)]", sourceLocation: sourceLocation)
        #expect(floats[index] == Float(want), "\(label)[\(index)] as Float", sourceLocation: sourceLocation)
      }
    }
  } else {
    let integers = try array.integers(as: Int64.self)
    let want = expected.values.map { value -> Int64 in
      if case .integer(let integer) = value { return integer }
      return Int64(value.double)
    }
    #expect(integers == want, "\(label)", sourceLocation: sourceLocation)
  }
}
