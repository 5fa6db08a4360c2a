/// The row scans of ``JonkerVolgenant``, eight columns at a time.
///
/// Both scans read a cost row and the column prices once, in column order, so a dense
/// `1000 x 1000` problem streams through the vector units instead of a scalar loop with
/// data-dependent branches.
enum AssignmentKernels {
  typealias Lanes = SIMD8<Double>
  /// Column and row indices travel as `Double` lanes (exact below 2^53), so that selecting them
  /// uses the same blend as the values instead of converting comparison masks.
  typealias Indices = SIMD8<Double>

  /// The smallest and second smallest reduced cost `row[j] - prices[j]` and their (distinct)
  /// columns, for `count >= 2`. Among equal values the lower column comes first.
  @inline(__always)
  static func twoSmallest(_ row: UnsafePointer<Double>, _ prices: UnsafePointer<Double>, count: Int) -> (
    lowest: Double, lowestColumn: Int, second: Double, secondColumn: Int
  ) {
    var low = Lanes(repeating: .infinity)
    var lowIndex = Indices(repeating: -1)
    var next = Lanes(repeating: .infinity)
    var nextIndex = Indices(repeating: -1)
    var lanes = Indices(0, 1, 2, 3, 4, 5, 6, 7)
    let step = Indices(repeating: 8)
    let rawRow = UnsafeRawPointer(row)
    let rawPrices = UnsafeRawPointer(prices)
    let stride = MemoryLayout<Double>.stride
    var j = 0
    while j + 8 <= count {
      let h =
        rawRow.loadUnaligned(fromByteOffset: j * stride, as: Lanes.self)
        - rawPrices.loadUnaligned(fromByteOffset: j * stride, as: Lanes.self)
      let belowLow = h .< low
      let belowNext = h .< next
      next.replace(with: h, where: belowNext)
      nextIndex.replace(with: lanes, where: belowNext)
      next.replace(with: low, where: belowLow)
      nextIndex.replace(with: lowIndex, where: belowLow)
      low.replace(with: h, where: belowLow)
      lowIndex.replace(with: lanes, where: belowLow)
      lanes += step
      j += 8
    }
    // Merge the 16 lane candidates and the tail in column order of ties.
    var lowest = Double.infinity
    var lowestColumn = -1
    var second = Double.infinity
    var secondColumn = -1
    @inline(__always) func offer(_ value: Double, _ column: Int) {
      if column < 0 { return }
      if value < lowest || (value == lowest && column < lowestColumn) {
        second = lowest
        secondColumn = lowestColumn
        lowest = value
        lowestColumn = column
      } else if value < second || (value == second && column < secondColumn) {
        second = value
        secondColumn = column
      }
    }
    for lane in 0..<8 {
      offer(low[lane], Int(lowIndex[lane]))
      offer(next[lane], Int(nextIndex[lane]))
    }
    while j < count {
      offer(row[j] - prices[j], j)
      j += 1
    }
    return (lowest, lowestColumn, second, secondColumn)
  }

  /// One Dijkstra relaxation from a scanned row: for every column not yet scanned
  /// (`blocked[j] == 0`; scanned columns hold `+infinity`), lowers `distances[j]` to
  /// `row[j] - prices[j] - offset` when that is smaller and records `source` as its predecessor.
  /// Returns the smallest distance among the columns not scanned and its column (the lowest
  /// column among ties), or column -1 when every column is scanned.
  @inline(__always)
  static func relax(
    _ row: UnsafePointer<Double>, _ prices: UnsafePointer<Double>, offset: Double, source: Int,
    distances: UnsafeMutablePointer<Double>, blocked: UnsafePointer<Double>,
    predecessors: UnsafeMutablePointer<Double>, count: Int
  ) -> (distance: Double, column: Int) {
    var best = Lanes(repeating: .infinity)
    var bestIndex = Indices(repeating: -1)
    var lanes = Indices(0, 1, 2, 3, 4, 5, 6, 7)
    let step = Indices(repeating: 8)
    let shift = Lanes(repeating: offset)
    let sourceLanes = Indices(repeating: Double(source))
    let rawRow = UnsafeRawPointer(row)
    let rawPrices = UnsafeRawPointer(prices)
    let rawBlocked = UnsafeRawPointer(blocked)
    let rawDistances = UnsafeMutableRawPointer(distances)
    let rawPredecessors = UnsafeMutableRawPointer(predecessors)
    let stride = MemoryLayout<Double>.stride
    var j = 0
    while j + 8 <= count {
      let byteOffset = j * stride
      let block = rawBlocked.loadUnaligned(fromByteOffset: byteOffset, as: Lanes.self)
      let candidate =
        rawRow.loadUnaligned(fromByteOffset: byteOffset, as: Lanes.self)
        - rawPrices.loadUnaligned(fromByteOffset: byteOffset, as: Lanes.self) - shift + block
      var distance = rawDistances.loadUnaligned(fromByteOffset: byteOffset, as: Lanes.self)
      let lower = candidate .< distance
      if any(lower) {
        distance.replace(with: candidate, where: lower)
        rawDistances.storeBytes(of: distance, toByteOffset: byteOffset, as: Lanes.self)
        var predecessor = rawPredecessors.loadUnaligned(fromByteOffset: byteOffset, as: Indices.self)
        predecessor.replace(with: sourceLanes, where: lower)
        rawPredecessors.storeBytes(of: predecessor, toByteOffset: byteOffset, as: Indices.self)
      }
      let key = distance + block
      let better = key .< best
      best.replace(with: key, where: better)
      bestIndex.replace(with: lanes, where: better)
      lanes += step
      j += 8
    }
    var distance = Double.infinity
    var column = -1
    for lane in 0..<8 where bestIndex[lane] >= 0 {
      let index = Int(bestIndex[lane])
      if best[lane] < distance || (best[lane] == distance && index < column) {
        distance = best[lane]
        column = index
      }
    }
    while j < count {
      if blocked[j] == 0 {
        let candidate = row[j] - prices[j] - offset
        if candidate < distances[j] {
          distances[j] = candidate
          predecessors[j] = Double(source)
        }
        if distances[j] < distance || (distances[j] == distance && j < column) {
          distance = distances[j]
          column = j
        }
      }
      j += 1
    }
    return (distance, column)
  }
}
