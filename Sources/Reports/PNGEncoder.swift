import Foundation

/// A minimal PNG writer: 8-bit greyscale or RGB, no filtering, zlib stream of stored (uncompressed)
/// deflate blocks — larger than a compressed PNG, but exact and dependency-free. Fine for small
/// images such as feature visualisations.
public enum PNGEncoder {
  /// The pixel layout of the samples passed to `encode`.
  public enum ColorType: UInt8, Sendable {
    /// One byte per pixel.
    case grayscale = 0
    /// Three bytes per pixel (red, green, blue).
    case rgb = 2

    /// Bytes per pixel.
    public var channelCount: Int { self == .grayscale ? 1 : 3 }
  }

  /// The PNG file for `width` × `height` pixels given row-major, top row first.
  public static func encode(width: Int, height: Int, colorType: ColorType, pixels: [UInt8]) -> [UInt8] {
    precondition(width > 0 && height > 0, "PNG dimensions must be positive")
    let rowLength = width * colorType.channelCount
    precondition(pixels.count == rowLength * height, "expected \(rowLength * height) samples, got \(pixels.count)")

    var raw: [UInt8] = []
    raw.reserveCapacity((rowLength + 1) * height)
    for row in 0..<height {
      raw.append(0)  // filter: none
      raw += pixels[(row * rowLength)..<((row + 1) * rowLength)]
    }

    var header: [UInt8] = []
    header += bigEndian(UInt32(width))
    header += bigEndian(UInt32(height))
    header += [8, colorType.rawValue, 0, 0, 0]  // bit depth, colour type, compression, filter, interlace

    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    appendChunk("IHDR", header, to: &png)
    appendChunk("IDAT", zlibStored(raw), to: &png)
    appendChunk("IEND", [], to: &png)
    return png
  }

  /// `data:image/png;base64,…` for the encoded image.
  public static func dataURI(width: Int, height: Int, colorType: ColorType, pixels: [UInt8]) -> String {
    "data:image/png;base64,"
      + Data(encode(width: width, height: height, colorType: colorType, pixels: pixels))
      .base64EncodedString()
  }

  /// A zlib stream (RFC 1950) holding `data` in stored deflate blocks (RFC 1951, BTYPE 00).
  static func zlibStored(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x78, 0x01]  // CM 8, 32K window, no dictionary, check bits valid (0x7801 % 31 == 0)
    var start = 0
    repeat {
      let length = min(65_535, data.count - start)
      let isFinal = start + length == data.count
      out.append(isFinal ? 1 : 0)
      let len = UInt16(length)
      out += [UInt8(len & 0xFF), UInt8(len >> 8), UInt8(~len & 0xFF), UInt8(~len >> 8)]
      out += data[start..<(start + length)]
      start += length
    } while start < data.count
    out += bigEndian(Adler32.checksum(data))
    return out
  }

  private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
    let typeBytes = Array(type.utf8)
    png += bigEndian(UInt32(data.count))
    png += typeBytes
    png += data
    png += bigEndian(CRC32.checksum(data, continuing: CRC32.checksum(typeBytes)))
  }

  private static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
  }
}
