import Foundation
import Testing

@testable import Reports

@Suite struct PNGEncoderTests {
  @Test func checksumsMatchReferenceValues() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([UInt8]()) == 0)
    #expect(CRC32.checksum(Array("6789".utf8), continuing: CRC32.checksum(Array("12345".utf8))) == 0xCBF4_3926)
    #expect(Adler32.checksum(Array("Wikipedia".utf8)) == 0x11E6_0398)
    // 70 000 bytes (exercises the modulo reduction); values from Python's zlib.
    let long = (0..<70_000).map { UInt8(($0 * 31 + 7) % 256) }
    #expect(Adler32.checksum(long) == 0x2233_3741)
    #expect(CRC32.checksum(long) == 0xD673_423A)
  }

  /// Both PNGs were built independently in Python (struct + zlib.compress(level=0) + zlib.crc32).
  @Test func encodesKnownImagesByteForByte() {
    let gray = PNGEncoder.encode(width: 2, height: 2, colorType: .grayscale, pixels: [0, 255, 128, 64])
    #expect(
      Data(gray).base64EncodedString()
        == "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAAEUlEQVR4AQEGAPn/AAD/AIBABUIBwHnpCcQAAAAASUVORK5CYII=")
    let rgb = PNGEncoder.encode(width: 1, height: 1, colorType: .rgb, pixels: [255, 0, 10])
    #expect(
      Data(rgb).base64EncodedString()
        == "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAAD0lEQVR4AQEEAPv/AP8ACgMLAQoq75HrAAAAAElFTkSuQmCC")
  }

  @Test func everyChunkCRCIsCorrect() throws {
    let width = 300, height = 250  // > 65 535 raw bytes: several stored blocks
    let pixels = (0..<(width * height * 3)).map { UInt8($0 % 251) }
    let png = PNGEncoder.encode(width: width, height: height, colorType: .rgb, pixels: pixels)
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    var offset = 8
    var types: [String] = []
    var idat: [UInt8] = []
    while offset < png.count {
      let length = Int(be32(png, offset))
      let type = Array(png[(offset + 4)..<(offset + 8)])
      let data = Array(png[(offset + 8)..<(offset + 8 + length)])
      let stored = be32(png, offset + 8 + length)
      #expect(stored == bitwiseCRC32(type + data), "CRC of \(String(decoding: type, as: UTF8.self))")
      types.append(String(decoding: type, as: UTF8.self))
      if types.last == "IDAT" { idat += data }
      offset += 12 + length
    }
    #expect(offset == png.count)
    #expect(types == ["IHDR", "IDAT", "IEND"])
    // Inflate the stored blocks by hand and compare with the filtered scanlines.
    #expect((UInt16(idat[0]) << 8 | UInt16(idat[1])) % 31 == 0)
    var position = 2, inflated: [UInt8] = [], blocks = 0, final = false
    while !final {
      final = idat[position] & 1 == 1
      #expect(idat[position] >> 1 == 0, "stored block type")
      let len = Int(idat[position + 1]) | Int(idat[position + 2]) << 8
      let nlen = Int(idat[position + 3]) | Int(idat[position + 4]) << 8
      #expect(len ^ nlen == 0xFFFF)
      inflated += idat[(position + 5)..<(position + 5 + len)]
      position += 5 + len
      blocks += 1
    }
    #expect(blocks == 4)
    var expected: [UInt8] = []
    for row in 0..<height { expected.append(0); expected += pixels[(row * width * 3)..<((row + 1) * width * 3)] }
    #expect(inflated == expected)
    #expect(be32(idat, position) == Adler32.checksum(expected))
    #expect(position + 4 == idat.count)
  }

  @Test func imageGridEmbedsNormalizedPNGs() {
    let image = ImageGrid.Image(width: 2, height: 1, pixels: [-1, 3], caption: "n")
    #expect(image.normalizedBytes == [0, 255])
    #expect(ImageGrid.Image(width: 1, height: 1, pixels: [4]).normalizedBytes == [128])
    let svg = ImageGrid(images: [image, image]).svg()
    #expect(occurrences(of: "href=\"data:image/png;base64,", in: svg) == 2)
    #expect(xmlError(in: svg) == nil)
    let rects = ImageGrid(images: [image], rendering: .rects).svg()
    #expect(rects.contains("fill=\"#000000\"") && rects.contains("fill=\"#ffffff\""))
  }

  private func be32(_ bytes: [UInt8], _ i: Int) -> UInt32 {
    UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
  }

  /// An independent, table-free CRC-32.
  private func bitwiseCRC32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
    }
    return ~crc
  }
}
