import Foundation
import Tensors
import Testing

@testable import TensorIO

/// Reads every fixture written by NumPy and the hand-written safetensors file, and compares the
/// values exactly with expected.json.
@Suite("Reading NumPy and safetensors fixtures")
struct FixtureReadingTests {
  let expected: ExpectedFixtures

  init() throws { expected = try ExpectedFixtures.load() }

  @Test("every .npy fixture reads with exact values")
  func npyFixtures() throws {
    #expect(expected.npy.count >= 14)
    for entry in expected.npy {
      let file = try #require(entry.file)
      let array = try NumPyFile.read(fixtureURL(file))
      try expectMatches(array, entry)
    }
  }

  @Test("Fortran-order arrays come back row-major")
  func fortranOrder() throws {
    let array = try NumPyFile.read(fixtureURL("fortran.npy"))
    let tensor = array.tensor(as: Double.self)
    #expect(tensor.shape == [2, 3, 4])
    #expect(tensor.scalars == (0..<24).map { Double($0) * 0.5 })
    #expect(tensor[1, 2, 3] == 11.5)
    let integers = try NumPyFile.read(fixtureURL("fortran_i4.npy"))
    #expect(try integers.integers(as: Int32.self) == [0, 1, 2, 3, 4, 5])
  }

  @Test("scalar, empty, version 2.0 and 3.0 headers")
  func specialShapesAndVersions() throws {
    let scalar = try NumPyFile.read(fixtureURL("scalar.npy"))
    #expect(scalar.shape == [])
    #expect(scalar.tensor(as: Double.self).scalar == 3.5)
    let empty = try NumPyFile.read(fixtureURL("empty.npy"))
    #expect(empty.shape == [0, 3])
    #expect(empty.count == 0)
    #expect(empty.tensor(as: Float.self).scalars.isEmpty)
    let v2 = try Data(contentsOf: fixtureURL("v2.npy"))
    let v3 = try Data(contentsOf: fixtureURL("v3.npy"))
    #expect(v2[6] == 2 && v3[6] == 3)
    #expect(try NumPyFile.read(fixtureURL("v2.npy")).tensor(as: Float.self).scalars == [1.25, -3.5, 7, 0])
    #expect(try NumPyFile.read(fixtureURL("v3.npy")).integers(as: Int.self) == [5, -6, 7])
  }

  @Test("stored and compressed .npz archives", arguments: ["stored.npz", "compressed.npz"])
  func npzFixtures(file: String) throws {
    let entry = try #require(expected.npz.first { $0.file == file })
    let archive = try NumPyArchive.read(fixtureURL(file))
    #expect(archive.names == entry.arrays.compactMap(\.name))
    for expectedArray in entry.arrays {
      let name = try #require(expectedArray.name)
      try expectMatches(try archive.array(named: name), expectedArray)
      #expect(archive[name] != nil)
    }
    let weight = try archive.tensor(named: "weight", as: Float.self)
    #expect(weight.shape == [2, 3])
    #expect(weight[1, 0] == 3.25)
  }

  @Test("mixed-dtype safetensors with metadata, in file order")
  func safetensorsFixture() throws {
    let entry = try #require(expected.safetensors.first)
    let file = try SafetensorsFile.read(fixtureURL(entry.file))
    #expect(file.metadata == entry.metadata)
    #expect(file.names == entry.tensors.compactMap(\.name))
    #expect(
      Set(file.names.compactMap { file[$0]?.dtype.rawValue }) == ["F32", "F64", "F16", "BF16", "I32", "I64", "U8"])
    for tensor in entry.tensors {
      let name = try #require(tensor.name)
      try expectMatches(try file.array(named: name), tensor)
    }
    let half = try file.tensor(named: "half", as: Float.self)
    #expect(half.scalars == [1, -0.5, 65504, 0x1p-24])
    // 2^53 + 1 survives as an integer even though no float can hold it.
    #expect(try file.array(named: "ids").integers(as: Int64.self) == [Int64.min, 9_007_199_254_740_993])
  }
}
