/// How two shapes broadcast against each other (NumPy rules), with adjacent axes merged
/// wherever both operands stay contiguous so that inner loops run as long as possible.
public struct BroadcastPlan: Sendable, Equatable {
  /// The broadcast result shape.
  public let shape: [Int]
  let extents: [Int]
  let stridesA: [Int]
  let stridesB: [Int]

  /// The broadcast shape of two shapes, or nil when they are incompatible.
  public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
      let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
      let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
      if da == db || db == 1 {
        result[i] = da
      } else if da == 1 {
        result[i] = db
      } else {
        return nil
      }
    }
    return result
  }

  /// Plans `a op b`. - Precondition: the shapes broadcast.
  public init(_ a: [Int], _ b: [Int]) {
    guard let shape = BroadcastPlan.broadcastShape(a, b) else {
      preconditionFailure("shapes \(a) and \(b) do not broadcast")
    }
    self.shape = shape
    let rank = shape.count
    func paddedStrides(_ s: [Int]) -> [Int] {
      let padded = [Int](repeating: 1, count: rank - s.count) + s
      var strides = [Int](repeating: 0, count: rank)
      var running = 1
      for axis in stride(from: rank - 1, through: 0, by: -1) {
        strides[axis] = padded[axis] == 1 ? 0 : running
        running *= padded[axis]
      }
      return strides
    }
    let sa = paddedStrides(a)
    let sb = paddedStrides(b)
    // Merge axis i into axis i+1 when, for both operands, stride[i] == stride[i+1] * extent[i+1].
    var extents: [Int] = []
    var ma: [Int] = []
    var mb: [Int] = []
    for axis in 0..<rank where shape[axis] != 1 {
      if let last = extents.last,
        ma.last! == sa[axis] * shape[axis] && mb.last! == sb[axis] * shape[axis]
      {
        extents[extents.count - 1] = last * shape[axis]
        ma[ma.count - 1] = sa[axis]
        mb[mb.count - 1] = sb[axis]
      } else {
        extents.append(shape[axis])
        ma.append(sa[axis])
        mb.append(sb[axis])
      }
    }
    self.extents = extents
    self.stridesA = ma
    self.stridesB = mb
  }

  /// Calls `body(outOffset, aOffset, bOffset, length, aStep, bStep)` for each innermost run;
  /// steps are 0 (broadcast) or 1 (contiguous).
  @inline(__always)
  func forEachRun(_ body: (Int, Int, Int, Int, Int, Int) -> Void) {
    let rank = extents.count
    if rank == 0 {
      body(0, 0, 0, 1, 0, 0)
      return
    }
    let length = extents[rank - 1]
    let aStep = stridesA[rank - 1]
    let bStep = stridesB[rank - 1]
    if aStep > 1 || bStep > 1 {
      // Inner axis is strided for one operand (cannot happen after merging, kept for safety).
      var index = [Int](repeating: 0, count: rank)
      var out = 0
      let total = extents.reduce(1, *)
      while out < total {
        var ao = 0
        var bo = 0
        for k in 0..<rank {
          ao += index[k] * stridesA[k]
          bo += index[k] * stridesB[k]
        }
        body(out, ao, bo, 1, 0, 0)
        out += 1
        var k = rank - 1
        while k >= 0 {
          index[k] += 1
          if index[k] < extents[k] { break }
          index[k] = 0
          k -= 1
        }
      }
      return
    }
    let outerCount = extents.dropLast().reduce(1, *)
    var index = [Int](repeating: 0, count: max(rank - 1, 0))
    var aOffset = 0
    var bOffset = 0
    for run in 0..<outerCount {
      body(run * length, aOffset, bOffset, length, aStep, bStep)
      var k = rank - 2
      while k >= 0 {
        index[k] += 1
        aOffset += stridesA[k]
        bOffset += stridesB[k]
        if index[k] < extents[k] { break }
        aOffset -= stridesA[k] * extents[k]
        bOffset -= stridesB[k] * extents[k]
        index[k] = 0
        k -= 1
      }
    }
  }
}
