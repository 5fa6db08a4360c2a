/// A dense n-dimensional array of `Float` or `Double` in contiguous row-major order.
///
/// Storage is a Swift array, so a `Tensor` is a value: copies share storage until one of
/// them is mutated. Every operation returns a new contiguous tensor; there are no strided
/// views, which keeps each kernel a straight loop or a single BLAS call.
public struct Tensor<Scalar: TensorScalar>: Sendable {
  /// The extent of each axis; `[]` for a scalar.
  public private(set) var shape: [Int]
  /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
  public internal(set) var scalars: [Scalar]

  /// Creates a tensor from its shape and row-major elements.
  ///
  /// - Precondition: `scalars.count` equals the product of `shape`.
  public init(shape: [Int], scalars: [Scalar]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
    precondition(
      scalars.count == shape.reduce(1, *),
      "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
  }

  /// Creates a tensor filled with one value.
  public init(repeating value: Scalar, shape: [Int]) {
    self.init(shape: shape) { y in
      guard let py = y.baseAddress, !y.isEmpty else { return }
      var v = value
      // A BLAS copy with source stride 0 broadcasts one value (specialized, unlike a generic fill).
      Scalar.copy(count: y.count, from: &v, stride: 0, to: py, stride: 1)
    }
  }

  /// Creates a tensor of zeros.
  public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

  /// Creates a tensor of ones.
  public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

  /// A rank-0 tensor holding `value`.
  public init(_ value: Scalar) { self.init(shape: [], scalars: [value]) }

  /// A rank-1 tensor.
  public init(_ values: [Scalar]) { self.init(shape: [values.count], scalars: values) }

  /// A rank-2 tensor from rows of equal length.
  public init(rows: [[Scalar]]) {
    let columns = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == columns }, "rows of unequal length")
    self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
  }

  /// The identity matrix of size `n`.
  public static func identity(_ n: Int) -> Tensor {
    var t = zeros([n, n])
    for i in 0..<n { t.scalars[i * n + i] = 1 }
    return t
  }

  /// Evenly spaced values `start, start + step, ...` below `end`.
  public static func arange(_ start: Scalar, _ end: Scalar, step: Scalar = 1) -> Tensor {
    var values: [Scalar] = []
    var x = start
    while x < end {
      values.append(x)
      x += step
    }
    return Tensor(values)
  }

  /// Builds a tensor by filling uninitialized storage.
  @inlinable
  public init(
    shape: [Int], unsafeUninitialized initializer: (inout UnsafeMutableBufferPointer<Scalar>) throws -> Void
  ) rethrows {
    let count = shape.reduce(1, *)
    let storage = try [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
      try initializer(&buffer)
      initialized = count
    }
    self.init(shape: shape, scalars: storage)
  }

  /// The number of axes.
  public var rank: Int { shape.count }
  /// The number of elements.
  public var count: Int { scalars.count }

  /// The single element of a one-element tensor.
  public var scalar: Scalar {
    precondition(scalars.count == 1, "tensor of shape \(shape) is not a scalar")
    return scalars[0]
  }

  /// Row-major strides (in elements) for the shape.
  public var strides: [Int] { Tensor.strides(for: shape) }

  static func strides(for shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[axis] = running
      running *= shape[axis]
    }
    return strides
  }

  /// Normalizes a possibly negative axis.
  public func axisIndex(_ axis: Int) -> Int {
    let a = axis < 0 ? axis + rank : axis
    precondition(a >= 0 && a < rank, "axis \(axis) out of range for rank \(rank)")
    return a
  }

  /// The element at a multi-index.
  public subscript(index: Int...) -> Scalar {
    get { scalars[offset(of: index)] }
    set { scalars[offset(of: index)] = newValue }
  }

  /// The element at a row-major flat index.
  public subscript(flat index: Int) -> Scalar {
    get { scalars[index] }
    set { scalars[index] = newValue }
  }

  func offset(of index: [Int]) -> Int {
    precondition(index.count == rank, "index \(index) has wrong rank for shape \(shape)")
    var offset = 0
    for (axis, i) in index.enumerated() {
      precondition(i >= 0 && i < shape[axis], "index \(index) out of bounds for shape \(shape)")
      offset = offset * shape[axis] + i
    }
    return offset
  }

  /// Converts the elements to another scalar type (Float <-> Double).
  public func converted<Other: TensorScalar>(to _: Other.Type = Other.self) -> Tensor<Other> {
    Tensor<Other>(shape: shape, scalars: scalars.map { Other($0) })
  }

  /// True when every element is finite (no NaN or infinity).
  public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }
}

extension Tensor: Equatable {}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let preview = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
    return "Tensor<\(Scalar.dtypeName)>(shape: \(shape), [\(preview)\(scalars.count > 8 ? ", ..." : "")])"
  }
}
