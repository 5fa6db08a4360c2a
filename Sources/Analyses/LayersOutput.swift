import LayerSimilarity

/// The contents of DIR/layers.json.
public struct LayersOutput: Codable {
  public struct Options: Codable {
    public var metric: String
    public var normalize: String
    public var solver: String
    public var randomStarts: Int?
    public var epsilon: Double?
    public var seed: UInt64
    public var conv: String
    public var sequence: String
    public var gwConvention: String
    public var groupCriterion: String
  }
  public struct Groups: Codable {
    public var hierarchical: LayerGrouping
    /// SciPy linkage rows [a, b, height, size] of the average-linkage clustering.
    public var linkage: [[Double]]
    public var cutHeight: Double?
    public var contiguous: LayerGrouping
  }
  public struct Pair: Codable {
    public var first: String
    public var second: String
    public var gw: Double
    public var iterations: Int
    public var winningStart: String
    public var marginalError: Double?
    public var linearCKA: Double
    public var rsmDifference: Double
    public var procrustes: Double
    public var seconds: Double
  }
  public struct Timings: Codable {
    public var spacesSeconds: Double
    public var pairsSeconds: Double
    public var totalSeconds: Double
  }
  public var source: String
  public var layers: [String]
  public var widths: [Int]
  public var shapes: [[Int]]
  public var samples: Int
  public var options: Options
  public var gw: [[Double]]
  public var linearCKA: [[Double]]
  public var rsmDifference: [[Double]]
  public var procrustes: [[Double]]
  public var groups: Groups
  public var pairs: [Pair]
  public var timings: Timings
}
