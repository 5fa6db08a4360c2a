import Foundation

/// Conversion of NumPy Fortran-order (column-major) data to row-major order.
enum ColumnMajorOrder {
  /// Reorders column-major (Fortran) element bytes into row-major order.
  static func rowMajorBytes(fromColumnMajor source: Data, shape: [Int], elementSize: Int) -> Data {
    let count = StoredArray.elementCount(of: shape) ?? 0
    var result = Data(count: source.count)
    guard count > 0 else { return result }
    // Column-major stride of each axis, in elements.
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in shape.indices.dropFirst() { strides[axis] = strides[axis - 1] * shape[axis - 1] }
    source.withUnsafeBytes { from in
      result.withUnsafeMutableBytes { to in
        guard let fromBase = from.baseAddress, let toBase = to.baseAddress else { return }
        var index = [Int](repeating: 0, count: shape.count)
        var sourceOffset = 0
        for destination in 0..<count {
          (toBase + destination * elementSize).copyMemory(
            from: fromBase + sourceOffset * elementSize, byteCount: elementSize)
          // Advance the row-major multi-index (last axis fastest), tracking the source offset.
          var axis = shape.count - 1
          while axis >= 0 {
            index[axis] += 1
            sourceOffset += strides[axis]
            if index[axis] < shape[axis] { break }
            sourceOffset -= strides[axis] * shape[axis]
            index[axis] = 0
            axis -= 1
          }
        }
      }
    }
    return result
  }
}
