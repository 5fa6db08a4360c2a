import Foundation

/// Small images (e.g. feature visualisations) in a grid with captions, each normalised to its own
/// min...max and embedded as a PNG data URI (or as one SVG rect per pixel).
public struct ImageGrid: SVGChart {
  /// One image: `width` × `height` pixels of `channels` (1 = greyscale, 3 = RGB) values,
  /// row-major with channels interleaved (`[y][x][c]`). Any range; it is rescaled to [0, 1].
  public struct Image: Hashable, Sendable {
    /// The width in pixels.
    public var width: Int
    /// The height in pixels.
    public var height: Int
    /// 1 (greyscale) or 3 (RGB).
    public var channels: Int
    /// `height * width * channels` values, row-major, channels interleaved.
    public var pixels: [Double]
    /// Text under the image (shortened to fit; the full text is the tooltip).
    public var caption: String

    /// An image; `pixels.count` must be `width * height * channels` and `channels` 1 or 3.
    public init(width: Int, height: Int, channels: Int = 1, pixels: [Double], caption: String = "") {
      precondition(channels == 1 || channels == 3, "channels must be 1 or 3")
      precondition(
        width > 0 && height > 0 && pixels.count == width * height * channels,
        "expected \(width * height * channels) values, got \(pixels.count)")
      self.width = width
      self.height = height
      self.channels = channels
      self.pixels = pixels
      self.caption = caption
    }

    /// The samples scaled to 0...255 by this image's finite min and max (constant images are
    /// mid-grey, NaN is black).
    public var normalizedBytes: [UInt8] {
      let finite = pixels.filter(\.isFinite)
      let lo = finite.min() ?? 0, hi = finite.max() ?? 0
      return pixels.map { v in
        guard v.isFinite else { return 0 }
        guard hi > lo else { return 128 }
        return UInt8(((v - lo) / (hi - lo) * 255).rounded().clamped(to: 0...255))
      }
    }
  }

  /// How pixels are embedded.
  public enum Rendering: Hashable, Sendable {
    /// One `<image>` per picture with a PNG data URI (compact, crisp when scaled).
    case png
    /// One `<rect>` per pixel (no raster data; only sensible for tiny images).
    case rects
  }

  /// The images, left to right then top to bottom.
  public var images: [Image]
  /// A title drawn above the grid.
  public var title: String?
  /// Images per row; `nil` uses up to 8.
  public var columns: Int?
  /// The displayed size of the longer side of each image, in points.
  public var imageSize: Double
  /// How pixels are embedded.
  public var rendering: Rendering

  /// A grid of `images`.
  public init(images: [Image], title: String? = nil, columns: Int? = nil, imageSize: Double = 72, rendering: Rendering = .png) {
    self.images = images
    self.title = title
    self.columns = columns
    self.imageSize = imageSize
    self.rendering = rendering
  }

  public func svg() -> String {
    let columnCount = max(1, min(columns ?? 8, max(images.count, 1)))
    let rowCount = (images.count + columnCount - 1) / columnCount
    let captionFont = 10.0
    let hasCaptions = images.contains { !$0.caption.isEmpty }
    let cellWidth = imageSize + 12
    let cellHeight = imageSize + (hasCaptions ? 18 : 8)
    let top = (title?.isEmpty == false ? ChartMetrics.titleBand : 0) + 6
    let width = max(
      Double(columnCount) * cellWidth + 8, SVGBuilder.textWidth(title ?? "", fontSize: ChartMetrics.titleFontSize) + 20)
    let height = top + Double(rowCount) * cellHeight + 6
    let maxCaptionCharacters = max(3, Int(cellWidth / (captionFont * 0.6)))

    var b = SVGBuilder()
    b.chartTitle(title, width: width)
    for (k, image) in images.enumerated() {
      let scale = imageSize / Double(max(image.width, image.height))
      let w = Double(image.width) * scale, h = Double(image.height) * scale
      let cellX = 4 + Double(k % columnCount) * cellWidth, cellY = top + Double(k / columnCount) * cellHeight
      let x = cellX + (cellWidth - w) / 2, y = cellY + (imageSize - h) / 2
      let bytes = image.normalizedBytes
      b.openGroup([("class", "image")])
      switch rendering {
      case .png:
        let uri = PNGEncoder.dataURI(
          width: image.width, height: image.height,
          colorType: image.channels == 1 ? .grayscale : .rgb, pixels: bytes)
        b.element(
          "image",
          [
            ("x", SVGBuilder.n(x)), ("y", SVGBuilder.n(y)), ("width", SVGBuilder.n(w)),
            ("height", SVGBuilder.n(h)), ("preserveAspectRatio", "none"),
            ("style", "image-rendering:pixelated"), ("href", uri),
          ],
          tooltip: image.caption.isEmpty ? nil : image.caption)
      case .rects:
        b.openGroup([("shape-rendering", "crispEdges")])
        for py in 0..<image.height {
          for px in 0..<image.width {
            let base = (py * image.width + px) * image.channels
            let color =
              image.channels == 1
              ? RGBColor(red: bytes[base], green: bytes[base], blue: bytes[base])
              : RGBColor(red: bytes[base], green: bytes[base + 1], blue: bytes[base + 2])
            b.rect(
              x: x + Double(px) * scale, y: y + Double(py) * scale, width: scale + 0.05, height: scale + 0.05,
              fill: color.hexString)
          }
        }
        b.closeGroup()
      }
      b.rect(x: x, y: y, width: w, height: h, fill: "none", stroke: "#bbbbbb", strokeWidth: 0.5)
      if !image.caption.isEmpty {
        var caption = image.caption
        if caption.count > maxCaptionCharacters { caption = String(caption.prefix(maxCaptionCharacters - 1)) + "…" }
        b.text(
          caption, x: cellX + cellWidth / 2, y: cellY + imageSize + 13, size: captionFont, anchor: .middle,
          fill: SVGBuilder.mutedTextColor)
      }
      b.closeGroup()
    }
    return b.document(width: width, height: height, title: title, className: "image-grid")
  }
}
