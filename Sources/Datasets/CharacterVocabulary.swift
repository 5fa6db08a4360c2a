/// The fixed character-level vocabulary of the language-model tasks: 96 token ids.
///
/// Id 0 stands for every character outside printable ASCII (tabs, newlines, accented letters,
/// symbols such as "£"); ids 1...95 stand for the printable ASCII characters U+0020 (space)
/// through U+007E ("~") in code order, so the character with code `c` has id `c - 31`. The
/// vocabulary does not depend on the text, so a model trained on one corpus reads any other.
///
/// ```swift
/// CharacterVocabulary.encode("Hi!")  // [41, 74, 2]
/// CharacterVocabulary.decode([41, 74, 2])  // "Hi!"
/// ```
public enum CharacterVocabulary {
  /// The number of token ids, 96.
  public static let size = 96
  /// The id of every character outside printable ASCII, 0.
  public static let unknownID = 0
  /// What ``decode(_:)`` writes for the unknown id (and for ids outside the vocabulary): U+FFFD.
  public static let unknownCharacter: Character = "\u{FFFD}"
  /// The printable ASCII codes, 32...126, that have ids of their own.
  public static let printableCodes: ClosedRange<UInt32> = 32...126

  /// The id of one Unicode scalar: `code - 31` for printable ASCII, else ``unknownID``.
  public static func id(of scalar: Unicode.Scalar) -> Int {
    printableCodes.contains(scalar.value) ? Int(scalar.value) - 31 : unknownID
  }

  /// The id of one byte of Latin-1 or ASCII text: `byte - 31` for printable ASCII, else ``unknownID``.
  public static func id(ofByte byte: UInt8) -> Int {
    printableCodes.contains(UInt32(byte)) ? Int(byte) - 31 : unknownID
  }

  /// The ids of `text`, one per Unicode scalar.
  public static func encode(_ text: some StringProtocol) -> [Int] {
    text.unicodeScalars.map(id(of:))
  }

  /// The ids of Latin-1 or ASCII bytes, one per byte.
  public static func encode(bytes: some Sequence<UInt8>) -> [Int] {
    bytes.map(id(ofByte:))
  }

  /// The text of `ids`; the unknown id and ids outside `0..<size` become ``unknownCharacter``.
  public static func decode(_ ids: some Sequence<Int>) -> String {
    String(
      ids.map { id in
        (1..<size).contains(id) ? Character(Unicode.Scalar(UInt8(id + 31))) : unknownCharacter
      })
  }
}
