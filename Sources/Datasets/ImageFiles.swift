import Foundation
import Networks
import TensorIO
import Tensors

/// Reads the grayscale image data sets stored as a pair of `.npy` files: integer images
/// `[N, side, side]` and integer labels `[N]`.
enum ImageFiles {
  /// The images as one-channel inputs `[N, 1, side, side]` with pixel values divided by
  /// `maximum` (so they lie in `[0, 1]`), and their labels, in file order.
  ///
  /// - Throws: ``DatasetError`` naming the file when it is missing or unreadable, is not an
  ///   integer array of the expected shape, has a pixel above `maximum` or a label outside
  ///   `0..<classes`, or when the two files disagree on the number of samples.
  static func read<Scalar: TensorScalar>(
    images imagesURL: URL, labels labelsURL: URL, side: Int, maximum: Int, classes: Int, expectedCount: Int
  ) throws -> LabeledData<Scalar> {
    let images = try integers(in: imagesURL, shape: [expectedCount, side, side])
    let labels = try integers(in: labelsURL, shape: [expectedCount])
    if let pixel = images.first(where: { $0 < 0 || $0 > maximum }) {
      throw DatasetError(.invalidContents, path: imagesURL.path, "pixel value \(pixel) lies outside 0...\(maximum)")
    }
    if let label = labels.first(where: { $0 < 0 || $0 >= classes }) {
      throw DatasetError(.invalidContents, path: labelsURL.path, "label \(label) lies outside 0..<\(classes)")
    }
    let scale = 1 / Scalar(maximum)
    let inputs = Tensor(shape: [expectedCount, 1, side, side], scalars: images.map { Scalar($0) * scale })
    return LabeledData(inputs: inputs, labels: labels, classes: classes)
  }

  /// The elements of the integer `.npy` array at `url`, which must have shape `shape`.
  static func integers(in url: URL, shape: [Int]) throws -> [Int] {
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw DatasetError(.missingFile, path: url.path, "the file does not exist")
    }
    let array: StoredArray
    do {
      array = try NumPyFile.read(url)
    } catch let error as TensorIOError {
      throw DatasetError(.unreadableFile, path: url.path, error.message)
    }
    guard !array.dtype.isFloatingPoint, array.dtype != .bool else {
      throw DatasetError(.invalidContents, path: url.path, "expected an integer array, found \(array.dtype)")
    }
    guard array.shape == shape else {
      throw DatasetError(.invalidContents, path: url.path, "expected shape \(shape), found \(array.shape)")
    }
    do {
      return try array.integers(as: Int.self)
    } catch let error as TensorIOError {
      throw DatasetError(.invalidContents, path: url.path, error.message)
    }
  }
}
