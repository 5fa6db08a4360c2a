import Autodiff
import CLinearAlgebra
import Foundation
import Networks
import Recipes
import Tensors

/// The engine benchmarks: GEMM through Tensor against raw CBLAS, LAPACK factorizations,
/// and one forward+backward pass of a 784-256-256-10 MLP (batch 256).
public enum EngineBenchmarks {
  public struct GEMMRow: Codable {
    public var size: Int
    public var dtype: String
    public var tensorGFLOPS: Double
    public var cblasGFLOPS: Double
    public var ratio: Double { tensorGFLOPS / cblasGFLOPS }
  }

  /// Raw CBLAS row-major C = A B on n x n matrices, without any NetAtlas code in between.
  public typealias RawGEMM<S> = (Int, UnsafePointer<S>, UnsafePointer<S>, UnsafeMutablePointer<S>) -> Void

  public static func gemm(size n: Int, repetitions: Int) -> [GEMMRow] {
    let single: RawGEMM<Float> = { n, a, b, c in
      cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0, c, Int32(n))
    }
    let double: RawGEMM<Double> = { n, a, b, c in
      cblas_dgemm(
        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0, c, Int32(n))
    }
    return [gemmRow(size: n, repetitions: repetitions, raw: single), gemmRow(size: n, repetitions: repetitions, raw: double)]
  }

  /// GFLOP/s of `Tensor.matmul` (allocating its result, as every op does) and of the raw call.
  public static func gemmRow<S: TensorScalar>(size n: Int, repetitions: Int, raw: RawGEMM<S>) -> GEMMRow {
    var rng = SeededGenerator(seed: UInt64(n))
    let flops = 2 * Double(n) * Double(n) * Double(n)
    let a = Tensor<S>.uniform(shape: [n, n], in: -1..<1, using: &rng)
    let b = Tensor<S>.uniform(shape: [n, n], in: -1..<1, using: &rng)
    var c = [S](repeating: 0, count: n * n)
    let rawSeconds = Stopwatch.median(repetitions: repetitions) {
      a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
          c.withUnsafeMutableBufferPointer { pc in raw(n, pa.baseAddress!, pb.baseAddress!, pc.baseAddress!) }
        }
      }
    }
    var sink: S = 0
    let wrapped = Stopwatch.median(repetitions: repetitions) { sink += a.matmul(b)[flat: 0] }
    if sink.isNaN { print("") }
    return GEMMRow(size: n, dtype: S.dtypeName, tensorGFLOPS: flops / wrapped / 1e9, cblasGFLOPS: flops / rawSeconds / 1e9)
  }

  public struct FactorizationRow: Codable {
    public var name: String
    public var size: Int
    public var seconds: Double
    /// Time of the factorization divided by the time of one same-size dgemm.
    public var gemmMultiples: Double
  }

  public static func factorizations(size n: Int) throws -> [FactorizationRow] {
    var rng = SeededGenerator(seed: 5)
    let x = Tensor<Double>.normal(shape: [n, n], using: &rng)
    let symmetric = (x + x.transposed()) * 0.5
    let gemm = Stopwatch.median(repetitions: 5) { _ = x.matmul(x) }
    var rows: [FactorizationRow] = []
    let eighAll = try Stopwatch.median(repetitions: 3) { _ = try symmetric.symmetricEigen() }
    rows.append(FactorizationRow(name: "symmetric eigen (all, dsyevr)", size: n, seconds: eighAll, gemmMultiples: eighAll / gemm))
    let eighTop = try Stopwatch.median(repetitions: 3) { _ = try symmetric.symmetricEigen(range: .indices((n - 16)..<n)) }
    rows.append(
      FactorizationRow(name: "symmetric eigen (top 16, dsyevr)", size: n, seconds: eighTop, gemmMultiples: eighTop / gemm))
    let svd = try Stopwatch.median(repetitions: 3) { _ = try x.singularValueDecomposition() }
    rows.append(FactorizationRow(name: "SVD (dgesdd, thin)", size: n, seconds: svd, gemmMultiples: svd / gemm))
    let spd = symmetric.matmul(symmetric, transposeOther: true) + Tensor<Double>.identity(n) * Double(n)
    let chol = try Stopwatch.median(repetitions: 3) { _ = try spd.cholesky() }
    rows.append(FactorizationRow(name: "Cholesky (dpotrf)", size: n, seconds: chol, gemmMultiples: chol / gemm))
    return rows
  }

  /// Median seconds of one forward+backward pass of the 784-256-256-10 MLP at batch 256.
  public static func mlpStep(repetitions: Int) -> Double {
    var rng = SeededGenerator(seed: 1)
    let widths = [784, 256, 256, 10]
    var parameters: [Variable<Float>] = []
    for (fanIn, fanOut) in zip(widths, widths.dropFirst()) {
      let bound = Float(1 / Double(fanIn).squareRoot())
      parameters.append(
        Variable(Tensor.uniform(shape: [fanIn, fanOut], in: -bound..<bound, using: &rng), requiresGradient: true))
      parameters.append(Variable(Tensor.uniform(shape: [fanOut], in: -bound..<bound, using: &rng), requiresGradient: true))
    }
    let x = Variable(Tensor<Float>.uniform(shape: [256, 784], in: 0..<1, using: &rng))
    let labels = (0..<256).map { $0 % 10 }
    var sink: Float = 0
    return Stopwatch.median(repetitions: repetitions, warmup: 3) {
      var h = x
      for layer in 0..<3 {
        h = h.matmul(parameters[2 * layer]) + parameters[2 * layer + 1]
        if layer < 2 { h = h.relu() }
      }
      let loss = h.crossEntropy(labels: labels)
      let grads = loss.gradients(withRespectTo: parameters)
      sink += grads[0][flat: 0]
    }
  }
}

extension EngineBenchmarks {
  /// Median seconds of one full-batch AdamW step of the modular-addition transformer (the
  /// grokking setup of issue 3), on its 3,830 training pairs.
  public static func transformerStep(repetitions: Int) throws -> Double {
    let recipe = TrainingRecipe.modularAddition
    let data = try recipe.data()
    var network = try Network<Float>(architecture: recipe.architecture(for: data), seed: 0)
    var configuration = recipe.training(seed: 0)
    configuration.epochs = 1
    configuration.targetTestAccuracy = nil
    return try Stopwatch.median(repetitions: repetitions, warmup: 2) {
      try network.train(on: data.train, configuration: configuration)
    }
  }
}
