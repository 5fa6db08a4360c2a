import Autodiff
import Foundation
import Networks
import Tensors

/// How a visualized input is parameterized for optimization.
public enum ImageParameterization: String, Sendable, Hashable, Codable, CaseIterable {
  /// The input values themselves.
  case pixels
  /// Lucid's `fft_image`: each channel of a `[C, H, W]` image is the inverse real 2-D FFT of a
  /// half spectrum scaled by `1 / max(|f|, 1 / max(H, W))^decay`, which makes the optimization
  /// favour low frequencies (see ``FourierBasis``).
  case fourier
}

/// The linear map from Lucid-style Fourier coefficients to an `[H, W]` image channel.
///
/// Coefficients per channel are `[2, H, W/2 + 1]` (real parts, then imaginary parts) of a half
/// spectrum `S[ky, kx]`; the image is `irfft2(scale * S, s: (H, W)) * sqrt(H W) / 4` (numpy's
/// `irfft2`, Lucid's `fft_image` normalization, without its colour decorrelation), with
/// `scale[ky, kx] = 1 / max(sqrt(fy^2 + fx^2), 1 / max(H, W))^decayPower` for the
/// `numpy.fft.fftfreq` frequencies `fy`, `fx`. Written out, pixel `(y, x)` is
/// `1/(4 sqrt(HW)) sum_{ky, kx} w_kx scale (Re S cos t - Im S sin t)`, `t = 2 pi (ky y / H + kx x / W)`,
/// `w_kx = 1` for `kx = 0` and (even `W`) `kx = W/2`, else 2.
public struct FourierBasis: Sendable {
  public let height: Int
  public let width: Int
  public let decayPower: Double
  /// `[2 H (W/2 + 1), H W]`: row `(part, ky, kx)`, column `(y, x)`, in `Double`.
  public let matrix: Tensor<Double>

  public init(height: Int, width: Int, decayPower: Double = 1) {
    self.height = height
    self.width = width
    self.decayPower = decayPower
    let columns = width / 2 + 1
    let pixels = height * width
    let norm = 1 / (4 * Double(pixels).squareRoot())
    let floor = 1 / Double(Swift.max(height, width))
    var values = [Double](repeating: 0, count: 2 * height * columns * pixels)
    for ky in 0..<height {
      let fy = Double(ky <= (height - 1) / 2 ? ky : ky - height) / Double(height)
      for kx in 0..<columns {
        let fx = Double(kx) / Double(width)
        let frequency = (fy * fy + fx * fx).squareRoot()
        let scale = 1 / Foundation.pow(Swift.max(frequency, floor), decayPower)
        let multiplicity: Double = kx == 0 || (width % 2 == 0 && kx == width / 2) ? 1 : 2
        let weight = norm * multiplicity * scale
        let realRow = (ky * columns + kx) * pixels
        let imaginaryRow = ((height + ky) * columns + kx) * pixels
        for y in 0..<height {
          for x in 0..<width {
            // Reduce the phase modulo 1 turn before scaling by 2 pi, for accuracy.
            let turns = Double((ky * y) % height) / Double(height) + Double((kx * x) % width) / Double(width)
            let angle = 2 * Double.pi * turns
            values[realRow + y * width + x] = weight * Foundation.cos(angle)
            values[imaginaryRow + y * width + x] = -weight * Foundation.sin(angle)
          }
        }
      }
    }
    self.matrix = Tensor(shape: [2 * height * columns, pixels], scalars: values)
  }

  /// The number of coefficients per channel, `2 H (W/2 + 1)`.
  public var coefficientCount: Int { matrix.shape[0] }
}

/// Maps optimization parameters `[B, parameterCount]` to network inputs `[B, ...inputShape]`.
struct InputParameterization<Scalar: TensorScalar>: Sendable {
  let kind: ImageParameterization
  /// The network's per-sample input shape.
  let inputShape: [Int]
  /// `[C, H, W]` for Fourier images.
  let imageShape: [Int]?
  /// `B` in `Scalar` for Fourier images.
  let basis: Tensor<Scalar>?
  /// `(low, high)`: inputs are `low + (high - low) sigmoid(raw)`; nil leaves them unbounded.
  let valueRange: (low: Scalar, high: Scalar)?

  init(kind: ImageParameterization, inputShape: [Int], imageShape: [Int]?, valueRange: ClosedRange<Double>?, decayPower: Double)
    throws
  {
    self.kind = kind
    self.inputShape = inputShape
    self.imageShape = imageShape
    self.valueRange = valueRange.map { (Scalar($0.lowerBound), Scalar($0.upperBound)) }
    switch kind {
    case .pixels:
      self.basis = nil
    case .fourier:
      guard let imageShape, imageShape.count == 3 else {
        throw NeuronModulesError.invalidOption(
          "a Fourier parameterization needs an image shape [channels, height, width]; inputs are \(inputShape)")
      }
      self.basis = FourierBasis(height: imageShape[1], width: imageShape[2], decayPower: decayPower).matrix.converted(
        to: Scalar.self)
    }
  }

  /// The number of parameters per input.
  var parameterCount: Int {
    switch kind {
    case .pixels: inputShape.reduce(1, *)
    case .fourier: imageShape![0] * basis!.shape[0]
    }
  }

  /// The inputs `[B, ...inputShape]` for parameters `[B, parameterCount]`.
  func inputs(_ parameters: Variable<Scalar>) -> Variable<Scalar> {
    let batch = parameters.shape[0]
    var raw: Variable<Scalar>
    switch kind {
    case .pixels:
      raw = parameters
    case .fourier:
      let channels = imageShape![0]
      raw = parameters.reshaped([batch * channels, basis!.shape[0]]).matmul(Variable(basis!))
    }
    raw = raw.reshaped([batch] + inputShape)
    guard let (low, high) = valueRange else { return raw }
    return raw.sigmoid() * (high - low) + low
  }
}
