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
    let twiddle = (0..<p).map { j in (cos(2 * Double.pi * Double(j) / Double(p)), -sin(2 * Double.pi * Double(j) / Double(p))) }
    // Along b, then along a.
    var rowRe = [Double](repeating: 0, count: p * p)
    var rowIm = [Double](repeating: 0, count: p * p)
    for a in 0..<p {
      for kb in 0..<p {
        var (re, im) = (0.0, 0.0)
        for b in 0..<p {
          let w = twiddle[(kb * b) % p]
          re += centred[a * p + b] * w.0
          im += centred[a * p + b] * w.1
        }
        rowRe[a * p + kb] = re
        rowIm[a * p + kb] = im
      }
    }
    var power = [Double](repeating: 0, count: p * p)
    for ka in 0..<p {
      for kb in 0..<p {
        var (re, im) = (0.0, 0.0)
        for a in 0..<p {
          let w = twiddle[(ka * a) % p]
          let (xr, xi) = (rowRe[a * p + kb], rowIm[a * p + kb])
          re += xr * w.0 - xi * w.1
          im += xr * w.1 + xi * w.0
        }
        power[ka * p + kb] = re * re + im * im
      }
    }
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
}
