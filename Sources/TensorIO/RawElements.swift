/// Unaligned little-endian element access on raw buffers.
///
/// File data is not guaranteed to be aligned for its element type, so every load and store goes
/// through `loadUnaligned`/`storeBytes`, which are safe at any offset.
extension UnsafeRawBufferPointer {
  /// The `index`-th little-endian `T` in the buffer.
  @inline(__always)
  func element<T: FixedWidthInteger>(_ index: Int, as _: T.Type) -> T {
    T(littleEndian: loadUnaligned(fromByteOffset: index &* MemoryLayout<T>.size, as: T.self))
  }
}

extension UnsafeMutableRawBufferPointer {
  /// Stores `value` little-endian as the `index`-th `T` in the buffer.
  @inline(__always)
  func setElement<T: FixedWidthInteger>(_ index: Int, to value: T) {
    storeBytes(of: value.littleEndian, toByteOffset: index &* MemoryLayout<T>.size, as: T.self)
  }
}
