import Foundation
import Testing

@testable import TensorIO

/// The .npy header dict parser copes with the spacings and forms NumPy (old and new) writes.
@Suite("NumPy header dict parsing")
struct HeaderParserTests {
  @Test(
    "spacing, quotes, trailing commas and key order",
    arguments: [
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }",
      "{'descr':'<f4','fortran_order':False,'shape':(3,4)}",
      "{ 'shape' : ( 3 , 4 , ) , 'fortran_order' : False , 'descr' : '<f4' , }\n",
      "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (3, 4)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 4L), }          \n",
      "{'descr': '<f4',\n 'fortran_order': False,\n 'shape': (3, 4)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), 'extra': None}",
    ])
  func equivalentHeaders(text: String) throws {
    let header = try NumPyHeader.parse(text: text)
    #expect(header.dtype == .float32)
    #expect(header.fortranOrder == false)
    #expect(header.shape == [3, 4])
  }

  @Test("one-element and empty tuples")
  func tuples() throws {
    #expect(try NumPyHeader.parse(text: "{'descr': '|b1', 'fortran_order': True, 'shape': (5,), }").shape == [5])
    #expect(try NumPyHeader.parse(text: "{'descr': '<i8', 'fortran_order': False, 'shape': (), }").shape == [])
    #expect(try NumPyHeader.parse(text: "{'descr': '<i8', 'fortran_order': False, 'shape': (0, 3), }").shape == [0, 3])
    let header = try NumPyHeader.parse(text: "{'descr': '|b1', 'fortran_order': True, 'shape': (5,), }")
    #expect(header.fortranOrder && header.dtype == .bool)
  }

  @Test(
    "descr strings map to dtypes",
    arguments: [
      ("<f2", DType.float16), ("<f4", .float32), ("<f8", .float64), ("|i1", .int8), ("<i2", .int16),
      ("<i4", .int32), ("<i8", .int64), ("|u1", .uint8), ("<u2", .uint16), ("<u4", .uint32),
      ("<u8", .uint64), ("|b1", .bool), ("=f4", .float32), ("f8", .float64),
    ])
  func descriptors(descr: String, dtype: DType) throws {
    let header = try NumPyHeader.parse(text: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (1,)}")
    #expect(header.dtype == dtype)
    if let written = NumPyHeader.descr(for: dtype), descr.first == "<" || descr.first == "|" {
      #expect(written == descr)
    }
  }

  @Test("Python literal values")
  func literals() throws {
    guard case .tuple(let items) = try PythonLiteralParser.parse("(1, -2, +3, 'a\\'b', \"c\", True, None, [4,], {},)")
    else {
      Issue.record("not a tuple")
      return
    }
    #expect(items.count == 9)
    if case .integer(let value) = items[1] { #expect(value == -2) } else { Issue.record("items[1]") }
    if case .string(let value) = items[3] { #expect(value == "a'b") } else { Issue.record("items[3]") }
    if case .integer(let value) = try PythonLiteralParser.parse("(7)") {
      #expect(value == 7)
    } else {
      Issue.record("(7)")
    }
  }

  @Test("JSON parser keeps key order and tells integers from numbers")
  func json() throws {
    let value = try JSONParser.parse(Array(#"{"b": 1, "a": [2.5, -3, 1e2, true, null, "x\u00e9\ud83d\ude80\n"]}"#.utf8))
    guard case .object(let members) = value, members.count == 2 else {
      Issue.record("not an object")
      return
    }
    #expect(members.map(\.key) == ["b", "a"])
    guard case .array(let items) = members[1].value else {
      Issue.record("not an array")
      return
    }
    if case .number(let number) = items[0] { #expect(number == 2.5) } else { Issue.record("2.5") }
    if case .integer(let integer) = items[1] { #expect(integer == -3) } else { Issue.record("-3") }
    if case .number(let number) = items[2] { #expect(number == 100) } else { Issue.record("1e2") }
    if case .string(let text) = items[5] { #expect(text == "xé🚀\n") } else { Issue.record("string") }
    for bad in ["", "{", "[1,]", "{\"a\" 1}", "01x", "\"\\x\"", "\"\\ud800\"", "tru", "-", "1.", "[1] [2]"] {
      #expect(throws: JSONSyntaxError.self, "\(bad)") { try JSONParser.parse(Array(bad.utf8)) }
    }
  }

  @Test("JSON string quoting round-trips")
  func quoting() throws {
    let text = "a\"b\\c\nd\u{1}é🚀"
    let quoted = JSONValue.quoted(text)
    guard case .string(let back) = try JSONParser.parse(Array(quoted.utf8)) else {
      Issue.record("not a string")
      return
    }
    #expect(back == text)
  }
}
