import Foundation
import Tensors

/// How much of a feature's variance over all inputs `(a, b)` of modular addition lies in one
/// Fourier frequency.
public struct FourierFeature: Codable, Sendable, Hashable {
  public var site: String
  public var basis: BasisKind
  /// The feature's rank (0 = most important, the constant feature left out).
  public var feature: Int
  /// The best frequency k in `1...p/2`.
  public var frequency: Int
  /// The share of the feature's variance in the 2-D Fourier components `(k_a, k_b)` with
  /// `k_a, k_b` in `{0, k, -k}` (not both 0): terms in `cos/sin(2 pi k a / p)`, the same in b,
  /// and their products, which hold `cos/sin(2 pi k (a +- b) / p)`.
  public var share: Double
}

enum FourierView {
  /// The inputs `[a, b, p]` for every pair, pair index `a * p + b`.
  static func inputs(modulus p: Int) -> Tensor<Double> {
    var values: [Double] = []
    values.reserveCapacity(p * p * 3)
    for a in 0..<p { for b in 0..<p { values += [Double(a), Double(b), Double(p)] } }
    return Tensor(shape: [p * p, 3], scalars: values)
  }

  /// The best frequency and its share for a feature's values on the `p x p` grid.
  static func bestFrequency(_ grid: [Double], modulus p: Int) -> (frequency: Int, share: Double) {
    let mean = grid.reduce(0, +) / Double(grid.count)
    let centred = grid.map { $0 - mean }
    // The 2-D transform as two 1-D passes over rows, with a transpose between them; the
    // frequency sets below are symmetric in the two axes, so the final orientation does not matter.
    let (re1, im1) = transformRows(centred, [Double](repeating: 0, count: p * p), modulus: p)
    let (re2, im2) = transformRows(transposed(re1, p), transposed(im1, p), modulus: p)
    let power = zip(re2, im2).map { $0 * $0 + $1 * $1 }
    let total = power.reduce(0, +)
    guard total > 0 else { return (0, 0) }
    var best = (frequency: 0, share: 0.0)
    for k in 1...(p / 2) {
      let axis = Set([0, k, p - k])
      var sum = 0.0
      for ka in axis { for kb in axis where !(ka == 0 && kb == 0) { sum += power[ka * p + kb] } }
      if sum / total > best.share { best = (k, sum / total) }
    }
    return best
  }

  /// The discrete Fourier transform along each row of a `p x p` grid,
  /// `X[r, k] = sum_j x[r, j] exp(-2 pi i k j / p)`.
  static func transformRows(_ re: [Double], _ im: [Double], modulus p: Int) -> ([Double], [Double]) {
    let cosines = (0..<p).map { cos(2 * Double.pi * Double($0) / Double(p)) }
    let sines = (0..<p).map { -sin(2 * Double.pi * Double($0) / Double(p)) }
    var outRe = [Double](repeating: 0, count: p * p)
    var outIm = [Double](repeating: 0, count: p * p)
    for r in 0..<p {
      for k in 0..<p {
        var (sumRe, sumIm) = (0.0, 0.0)
        for j in 0..<p {
          let (c, s) = (cosines[(k * j) % p], sines[(k * j) % p])
          sumRe += re[r * p + j] * c - im[r * p + j] * s
          sumIm += re[r * p + j] * s + im[r * p + j] * c
        }
        outRe[r * p + k] = sumRe
        outIm[r * p + k] = sumIm
      }
    }
    return (outRe, outIm)
  }

  static func transposed(_ x: [Double], _ p: Int) -> [Double] {
    (0..<(p * p)).map { x[($0 % p) * p + $0 / p] }
  }
}
