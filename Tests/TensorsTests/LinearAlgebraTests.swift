import Foundation
import Testing

@testable import Tensors

/// Reference values from numpy/scipy, written by scripts/make_linalg_fixtures.py.
struct LinearAlgebraFixtures: Decodable {
  struct Matrix: Decodable {
    var shape: [Int]
    var data: [Double]
  }

  var symmetric: Matrix
  var eigenvaluesAll: [Double]
  var eigenvaluesIndices1To4: [Double]
  var valueInterval: [Double]
  var eigenvaluesInInterval: [Double]
  var tall: Matrix
  var tallSingularValues: [Double]
  var wide: Matrix
  var wideSingularValues: [Double]
  var positiveDefinite: Matrix
  var choleskyFactor: Matrix
  var general: Matrix
  var rightHandSide: Matrix
  var solution: Matrix
  var vectorSolution: [Double]

  static let shared: LinearAlgebraFixtures = {
    struct File: Decodable { var linearAlgebra: LinearAlgebraFixtures }
    let url = Bundle.module.url(forResource: "linalg_fixtures", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).linearAlgebra
  }()
}

extension LinearAlgebraFixtures.Matrix {
  func tensor<S: TensorScalar>(_: S.Type = S.self) -> Tensor<S> {
    Tensor<S>(shape: shape, scalars: data.map { S($0) })
  }
}

/// The largest absolute elementwise difference between two tensors of equal shape.
func maxDifference<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> S {
  precondition(a.shape == b.shape, "shapes \(a.shape) and \(b.shape) differ")
  return zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
}

func maxDifference<S: TensorScalar>(_ a: Tensor<S>, _ b: [Double]) -> S {
  maxDifference(a, Tensor<S>(b.map { S($0) }))
}

/// `matrix * diag(diagonal)`: scales column `j` by `diagonal[j]`.
func scalingColumns<S: TensorScalar>(_ matrix: Tensor<S>, by diagonal: Tensor<S>) -> Tensor<S> {
  matrix * diagonal.reshaped([1, diagonal.count])
}

@Suite struct LinearAlgebraTests {
  let fixtures = LinearAlgebraFixtures.shared

  // MARK: Symmetric eigendecomposition

  @Test func eigenvaluesMatchNumPy() throws {
    try checkEigenvalues(Double.self, tolerance: 1e-10)
    try checkEigenvalues(Float.self, tolerance: 1e-4)
  }

  func checkEigenvalues<S: TensorScalar>(_: S.Type, tolerance: S) throws {
    let a = fixtures.symmetric.tensor(S.self)
    #expect(maxDifference(try a.symmetricEigenvalues(), fixtures.eigenvaluesAll) < tolerance)
    #expect(maxDifference(try a.symmetricEigen().values, fixtures.eigenvaluesAll) < tolerance)
    let byIndex = try a.symmetricEigen(range: .indices(1..<4))
    #expect(byIndex.values.shape == [3] && byIndex.vectors.shape == [6, 3])
    #expect(maxDifference(byIndex.values, fixtures.eigenvaluesIndices1To4) < tolerance)
    let interval = S(fixtures.valueInterval[0])...S(fixtures.valueInterval[1])
    let byValue = try a.symmetricEigen(range: .values(interval))
    #expect(byValue.vectors.shape == [6, fixtures.eigenvaluesInInterval.count])
    #expect(maxDifference(byValue.values, fixtures.eigenvaluesInInterval) < tolerance)
    #expect(maxDifference(try a.symmetricEigenvalues(range: .values(interval)), fixtures.eigenvaluesInInterval) < tolerance)
    // The k smallest and the k largest.
    #expect(
      maxDifference(try a.symmetricEigenvalues(range: .indices(0..<2)), Array(fixtures.eigenvaluesAll.prefix(2))) < tolerance)
    #expect(
      maxDifference(try a.symmetricEigenvalues(range: .indices(4..<6)), Array(fixtures.eigenvaluesAll.suffix(2))) < tolerance)
  }

  @Test func eigenvectorsReconstructAndAreOrthonormal() throws {
    try checkEigenvectors(Double.self, tolerance: 1e-10)
    try checkEigenvectors(Float.self, tolerance: 1e-4)
  }

  func checkEigenvectors<S: TensorScalar>(_: S.Type, tolerance: S) throws {
    let a = fixtures.symmetric.tensor(S.self)
    let (w, v) = try a.symmetricEigen()
    #expect(v.shape == [6, 6])
    // A = V diag(w) Vᵀ and Vᵀ V = I.
    #expect(maxDifference(scalingColumns(v, by: w).matmul(v, transposeOther: true), a) < tolerance)
    #expect(maxDifference(v.matmul(v, transposeSelf: true), Tensor.identity(6)) < tolerance)
    // A subset: A V = V diag(w) column by column, with orthonormal columns.
    let (ws, vs) = try a.symmetricEigen(range: .indices(1..<4))
    #expect(maxDifference(a.matmul(vs), scalingColumns(vs, by: ws)) < tolerance)
    #expect(maxDifference(vs.matmul(vs, transposeSelf: true), Tensor.identity(3)) < tolerance)
  }

  @Test func eigenReadsOnlyTheLowerTriangle() throws {
    let a = fixtures.symmetric.tensor(Double.self)
    var scrambled = a
    for i in 0..<6 { for j in (i + 1)..<6 { scrambled[i, j] = 1000 + Double(i * j) } }
    let expected = try a.symmetricEigenvalues()
    #expect(maxDifference(try scrambled.symmetricEigenvalues(), expected) < 1e-10)
    #expect(maxDifference(try scrambled.symmetricEigen().values, expected) < 1e-10)
  }

  @Test func eigenOfEmptySelectionAndEmptyMatrix() throws {
    let a = fixtures.symmetric.tensor(Double.self)
    let none = try a.symmetricEigen(range: .indices(2..<2))
    #expect(none.values.shape == [0] && none.vectors.shape == [6, 0])
    let empty = try Tensor<Double>.zeros([0, 0]).symmetricEigen()
    #expect(empty.values.shape == [0] && empty.vectors.shape == [0, 0])
    let outside = try a.symmetricEigen(range: .values(1000...2000))
    #expect(outside.values.shape == [0] && outside.vectors.shape == [6, 0])
  }

  // MARK: Singular value decomposition

  @Test func singularValuesMatchNumPy() throws {
    try checkSingularValues(Double.self, tolerance: 1e-10)
    try checkSingularValues(Float.self, tolerance: 1e-4)
  }

  func checkSingularValues<S: TensorScalar>(_: S.Type, tolerance: S) throws {
    for (matrix, expected) in [(fixtures.tall, fixtures.tallSingularValues), (fixtures.wide, fixtures.wideSingularValues)] {
      let a = matrix.tensor(S.self)
      #expect(maxDifference(try a.singularValues(), expected) < tolerance)
      let (u, s, vt) = try a.singularValueDecomposition()
      #expect(maxDifference(s, expected) < tolerance)
      let k = 4
      #expect(u.shape == [a.shape[0], k] && vt.shape == [k, a.shape[1]])
      #expect(maxDifference(scalingColumns(u, by: s).matmul(vt), a) < tolerance)
      #expect(maxDifference(u.matmul(u, transposeSelf: true), Tensor.identity(k)) < tolerance)
      #expect(maxDifference(vt.matmul(vt, transposeOther: true), Tensor.identity(k)) < tolerance)
    }
  }

  @Test func fullMatricesAreSquareAndOrthogonal() throws {
    let a = fixtures.tall.tensor(Double.self)
    let (u, s, vt) = try a.singularValueDecomposition(fullMatrices: true)
    #expect(u.shape == [7, 7] && s.shape == [4] && vt.shape == [4, 4])
    #expect(maxDifference(u.matmul(u, transposeSelf: true), Tensor.identity(7)) < 1e-10)
    #expect(maxDifference(vt.matmul(vt, transposeOther: true), Tensor.identity(4)) < 1e-10)
    let thin = u.slice(axis: 1, 0..<4)
    #expect(maxDifference(scalingColumns(thin, by: s).matmul(vt), a) < 1e-10)
    let wide = try fixtures.wide.tensor(Double.self).singularValueDecomposition(fullMatrices: true)
    #expect(wide.u.shape == [4, 4] && wide.vt.shape == [7, 7])
    #expect(maxDifference(wide.vt.matmul(wide.vt, transposeOther: true), Tensor.identity(7)) < 1e-10)
  }

  // MARK: Cholesky

  @Test func choleskyMatchesNumPyAndReconstructs() throws {
    try checkCholesky(Double.self, tolerance: 1e-10)
    try checkCholesky(Float.self, tolerance: 1e-4)
  }

  func checkCholesky<S: TensorScalar>(_: S.Type, tolerance: S) throws {
    let a = fixtures.positiveDefinite.tensor(S.self)
    let l = try a.cholesky()
    #expect(maxDifference(l, fixtures.choleskyFactor.tensor(S.self)) < tolerance)
    #expect(maxDifference(l.matmul(l, transposeOther: true), a) < tolerance * 10)
    for i in 0..<5 { for j in (i + 1)..<5 { #expect(l[i, j] == 0) } }
    // Only the lower triangle is read.
    var scrambled = a
    scrambled[0, 4] = -1000
    #expect(try scrambled.cholesky() == l)
  }

  @Test func choleskySolveSolves() throws {
    let a = fixtures.positiveDefinite.tensor(Double.self)
    let b = fixtures.rightHandSide.tensor(Double.self)
    let l = try a.cholesky()
    let x = try l.choleskySolve(b)
    #expect(x.shape == [5, 2])
    #expect(maxDifference(a.matmul(x), b) < 1e-10)
    let column = b.slice(axis: 1, 0..<1).reshaped([5])
    let y = try l.choleskySolve(column)
    #expect(y.shape == [5])
    #expect(maxDifference(y, x.slice(axis: 1, 0..<1).reshaped([5])) < 1e-12)
  }

  // MARK: Solve

  @Test func solveMatchesNumPy() throws {
    try checkSolve(Double.self, tolerance: 1e-10)
    try checkSolve(Float.self, tolerance: 1e-4)
  }

  func checkSolve<S: TensorScalar>(_: S.Type, tolerance: S) throws {
    let a = fixtures.general.tensor(S.self)
    let b = fixtures.rightHandSide.tensor(S.self)
    let x = try a.solve(b)
    #expect(maxDifference(x, fixtures.solution.tensor(S.self)) < tolerance)
    #expect(maxDifference(a.matmul(x), b) < tolerance)
    let vector = try a.solve(b.slice(axis: 1, 0..<1).reshaped([5]))
    #expect(vector.shape == [5])
    #expect(maxDifference(vector, fixtures.vectorSolution) < tolerance)
  }

  @Test func emptySystems() throws {
    let a = fixtures.general.tensor(Double.self)
    #expect(try a.solve(Tensor<Double>.zeros([5, 0])).shape == [5, 0])
    #expect(try Tensor<Double>.zeros([0, 0]).solve(Tensor<Double>.zeros([0])).shape == [0])
    #expect(try Tensor<Double>.zeros([0, 0]).cholesky().shape == [0, 0])
    let svd = try Tensor<Double>.zeros([3, 0]).singularValueDecomposition()
    #expect(svd.u.shape == [3, 0] && svd.s.shape == [0] && svd.vt.shape == [0, 0])
  }

  // MARK: Errors

  @Test func nonSquareMatricesAreRejected() {
    let rectangle = fixtures.tall.tensor(Double.self)
    let expected = LinearAlgebraError.notSquare(operation: "symmetricEigen", shape: [7, 4])
    #expect(throws: expected) { try rectangle.symmetricEigen() }
    #expect(throws: LinearAlgebraError.notSquare(operation: "cholesky", shape: [7, 4])) { try rectangle.cholesky() }
    #expect(throws: LinearAlgebraError.notSquare(operation: "solve", shape: [7, 4])) {
      try rectangle.solve(Tensor<Double>.zeros([7]))
    }
    #expect(throws: LinearAlgebraError.notAMatrix(operation: "singularValueDecomposition", shape: [3])) {
      try Tensor<Double>([1, 2, 3]).singularValueDecomposition()
    }
    #expect(expected.description.contains("square") && expected.description.contains("[7, 4]"))
  }

  @Test func notPositiveDefiniteNamesTheFailingMinor() {
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) {
      try Tensor<Double>(rows: [[1, 2], [2, 1]]).cholesky()
    }
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 1)) {
      try Tensor<Float>(rows: [[-1, 0], [0, 1]]).cholesky()
    }
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 3)) {
      try Tensor<Double>(rows: [[4, 0, 0], [0, 1, 0], [0, 0, 0]]).cholesky()
    }
    #expect(LinearAlgebraError.notPositiveDefinite(order: 2).description.contains("order 2"))
  }

  @Test func singularSystemsAreRejected() {
    #expect(throws: LinearAlgebraError.singular(pivot: 2)) {
      try Tensor<Double>(rows: [[1, 2], [2, 4]]).solve(Tensor<Double>([1, 1]))
    }
    #expect(throws: LinearAlgebraError.singular(pivot: 1)) {
      try Tensor<Double>.zeros([3, 3]).solve(Tensor<Double>.ones([3, 2]))
    }
    // Singular in exact arithmetic but not in floating point: caught by the condition estimate.
    let error = #expect(throws: LinearAlgebraError.self) {
      try Tensor<Double>(rows: [[1, 2, 3], [4, 5, 6], [7, 8, 9]]).solve(Tensor<Double>([1, 1, 1]))
    }
    switch error {
    case .nearlySingular(let reciprocalCondition)?: #expect(reciprocalCondition < Double.ulpOfOne)
    case .singular?: break
    default: Issue.record("expected a singular-matrix error, got \(String(describing: error))")
    }
    #expect(throws: LinearAlgebraError.singular(pivot: 2)) {
      try Tensor<Double>(rows: [[1, 0], [0, 0]]).choleskySolve(Tensor<Double>([1, 1]))
    }
  }

  @Test func nonFiniteInputIsReportedFirst() {
    var a = fixtures.symmetric.tensor(Double.self)
    a[1, 0] = .nan
    let expected = LinearAlgebraError.nonFiniteInput(operation: "symmetricEigen", position: [1, 0])
    #expect(throws: expected) { try a.symmetricEigen() }
    #expect(expected.description.contains("NaN"))
    #expect(throws: LinearAlgebraError.nonFiniteInput(operation: "cholesky", position: [1, 0])) { try a.cholesky() }
    var rectangle = fixtures.tall.tensor(Float.self)
    rectangle[6, 3] = -.infinity
    #expect(throws: LinearAlgebraError.nonFiniteInput(operation: "singularValueDecomposition", position: [6, 3])) {
      try rectangle.singularValueDecomposition()
    }
    let general = fixtures.general.tensor(Double.self)
    #expect(throws: LinearAlgebraError.nonFiniteInput(operation: "solve", position: [2])) {
      try general.solve(Tensor<Double>([0, 0, .infinity, 0, 0]))
    }
  }

  @Test func mismatchedRightHandSideIsRejected() {
    let a = fixtures.general.tensor(Double.self)
    #expect(
      throws: LinearAlgebraError.incompatibleRightHandSide(operation: "solve", matrix: [5, 5], rightHandSide: [4, 2])
    ) { try a.solve(Tensor<Double>.zeros([4, 2])) }
    #expect(
      throws: LinearAlgebraError.incompatibleRightHandSide(operation: "solve", matrix: [5, 5], rightHandSide: [5, 1, 1])
    ) { try a.solve(Tensor<Double>.zeros([5, 1, 1])) }
  }

  // MARK: BLAS threads

  @Test func blasThreadCountIsRestored() throws {
    // OpenBLAS's count is process-wide and other tests change it concurrently (every parallel
    // map runs single-threaded BLAS), so the save-and-restore is checked on a local value.
    #expect(BLASThreads.count >= 1)
    var value = 4
    let inside = BLASThreads.withTemporaryValue(1, get: { value }, set: { value = $0 }) { value }
    #expect(inside == 1)
    #expect(value == 4)
    struct Failure: Error {}
    #expect(throws: Failure.self) {
      try BLASThreads.withTemporaryValue(2, get: { value }, set: { value = $0 }) {
        #expect(value == 2)
        throw Failure()
      }
    }
    #expect(value == 4)
  }
}
