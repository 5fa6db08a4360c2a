import Foundation
import Networks
import Tensors

/// Character-level next-token prediction on the Lee background corpus: 300 English news
/// documents (about 360,000 characters) from the Australian Broadcasting Corporation's news
/// mail service, collected by Lee, Pincombe & Welsh (2005).
///
/// Source: the file `gensim/test/test_data/lee_background.cor` that ships inside the PyPI
/// package gensim, one document per line. `scripts/fetch_lee_corpus.py` copies it, after
/// checking its SHA-256, into the cache folder ``directory``; ``load(as:)`` runs the script
/// when the file is missing. The text has no licence of its own (see `docs/datasets.md`), so it
/// is never committed.
///
/// Tokens: characters, by the fixed 96-id ``CharacterVocabulary`` (printable ASCII plus one id
/// for everything else). Samples: each document is cut into windows of ``contextLength`` + 1
/// characters that start every ``contextLength`` characters (`TextWindows`); a sample's input
/// is the first ``contextLength`` ids `[T]` and its labels the next character at each of the
/// `T` positions, so a split's `labels` hold `N * T` entries (row-major) and ``TaskData/classes``
/// is 96. Every character of a document except the first and a tail shorter than `T` is a
/// target exactly once.
///
/// Split, by document: a permutation of the documents (in file order) is drawn from
/// `SeededGenerator(seed:)`; its first `D - round(testFraction * D)` entries are the training
/// documents and the rest the test documents (at least one each). Each split's windows, taken
/// in that document order, are then shuffled with the same generator, training split first.
/// With the defaults (`T = 64`, test fraction 0.1, seed 0): 270 training and 30 test documents.
public struct LeeCorpusTask: Sendable, Hashable {
  /// The seed of the document split and of the sample order.
  public var seed: UInt64
  /// The number of characters `T` a sample reads (and predicts).
  public var contextLength: Int
  /// The fraction of documents held out for testing.
  public var testFraction: Double
  /// The cache root; the file lives in its `lee-corpus` folder (see ``directory``).
  public var cacheDirectory: URL
  /// Whether ``load(as:)`` runs the fetch script when the cached file is missing.
  public var fetchesIfMissing: Bool

  /// The default context length, 64 characters.
  public static let defaultContextLength = 64
  /// The default fraction of documents held out, 0.1.
  public static let defaultTestFraction = 0.1
  /// The cached file's name, as gensim ships it.
  public static let fileName = "lee_background.cor"
  /// The fetch script's path inside the repository.
  public static let scriptPath = "scripts/fetch_lee_corpus.py"

  /// Creates the task; `cacheDirectory` defaults to ``DatasetCache/defaultDirectory(environment:)``.
  public init(
    seed: UInt64 = 0, contextLength: Int = defaultContextLength, testFraction: Double = defaultTestFraction,
    cacheDirectory: URL? = nil, fetchesIfMissing: Bool = true
  ) {
    self.seed = seed
    self.contextLength = contextLength
    self.testFraction = testFraction
    self.cacheDirectory = cacheDirectory ?? DatasetCache.defaultDirectory()
    self.fetchesIfMissing = fetchesIfMissing
  }

  /// The folder holding the cached file: `<cacheDirectory>/lee-corpus`.
  public var directory: URL { cacheDirectory.appendingPathComponent("lee-corpus", isDirectory: true) }
  /// The cached corpus file.
  public var corpusURL: URL { directory.appendingPathComponent(Self.fileName) }
  /// Whether the cached file exists (it is validated only when loaded).
  public var isCached: Bool { FileManager.default.fileExists(atPath: corpusURL.path) }

  /// Runs `python3 scripts/fetch_lee_corpus.py --out <directory>` to fill the cache.
  ///
  /// - Throws: ``DatasetError`` of kind `fetchFailed`, saying how to fetch by hand, when the
  ///   script cannot be found or fails.
  public func fetch() throws {
    try FetchScript.run(scriptPath: Self.scriptPath, dataName: "the Lee corpus", into: directory, expectedFiles: [Self.fileName])
  }

  /// The cached documents as token ids, one array per non-blank line of the file, in file
  /// order; fetches the file first when missing and allowed to.
  ///
  /// - Throws: ``DatasetError`` when the file is missing (and fetching is off or fails), cannot
  ///   be read, or holds no document.
  public func documents() throws -> [[Int]] {
    if !isCached {
      guard fetchesIfMissing else {
        throw DatasetError(
          .missingFile, path: corpusURL.path,
          "the Lee corpus is not cached; fetch it with `python3 \(Self.scriptPath) --out \(directory.path)`")
      }
      try fetch()
    }
    let bytes: Data
    do {
      bytes = try Data(contentsOf: corpusURL)
    } catch {
      throw DatasetError(.unreadableFile, path: corpusURL.path, "cannot read the file: \(error.localizedDescription)")
    }
    let documents = bytes.split(separator: UInt8(ascii: "\n"))
      .map { line in line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...] }
      .filter { line in line.contains { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") } }
      .map { CharacterVocabulary.encode(bytes: $0) }
    guard !documents.isEmpty else {
      throw DatasetError(.invalidContents, path: corpusURL.path, "the file holds no document (no non-blank line)")
    }
    return documents
  }

  /// Loads the cached corpus (fetching it first when needed) and splits it.
  ///
  /// - Throws: ``DatasetError`` when the file is missing and cannot be fetched, is damaged, or
  ///   the parameters do not fit it (see ``makeTask(documents:name:)``).
  public func load<Scalar: TensorScalar>(as _: Scalar.Type = Scalar.self) throws -> TaskData<Scalar> {
    do {
      return try makeTask(documents: try documents())
    } catch let error as DatasetError where error.path == nil && error.kind == .invalidContents {
      throw DatasetError(error.kind, path: corpusURL.path, error.message)
    }
  }

  /// Splits tokenized documents by this task's rule (see the type's documentation).
  ///
  /// - Parameters:
  ///   - documents: Token ids in `0..<CharacterVocabulary.size`, one array per document.
  ///   - name: The name the returned ``TaskData`` carries.
  /// - Throws: ``DatasetError`` of kind `invalidParameter` when `contextLength < 1` or the test
  ///   fraction is outside (0, 1); of kind `invalidContents` when there are fewer than two
  ///   documents, a token id is out of range, or a split gets no window (no document of that
  ///   split has `contextLength + 1` characters).
  public func makeTask<Scalar: TensorScalar>(documents: [[Int]], name: String = BuiltInTask.leeCorpus.rawValue) throws
    -> TaskData<Scalar>
  {
    guard contextLength >= 1 else {
      throw DatasetError(.invalidParameter, path: nil, "the context length must be at least 1, got \(contextLength)")
    }
    guard testFraction > 0, testFraction < 1 else {
      throw DatasetError(.invalidParameter, path: nil, "the test fraction must lie strictly between 0 and 1, got \(testFraction)")
    }
    guard documents.count >= 2 else {
      throw DatasetError(
        .invalidContents, path: nil, "\(documents.count) document(s); a split by document needs at least 2")
    }
    let vocabulary = CharacterVocabulary.size
    guard documents.allSatisfy({ $0.allSatisfy { (0..<vocabulary).contains($0) } }) else {
      throw DatasetError(.invalidContents, path: nil, "a token id lies outside 0..<\(vocabulary)")
    }
    let testCount = min(max(Int((testFraction * Double(documents.count)).rounded()), 1), documents.count - 1)
    var generator = SeededGenerator(seed: seed)
    let (trainIndices, testIndices) = Splitting.permuted(
      count: documents.count, trainCount: documents.count - testCount, using: &generator)
    let trainWindows: LabeledData<Scalar> = TextWindows.samples(
      trainIndices.map { documents[$0] }, contextLength: contextLength, classes: vocabulary)
    let testWindows: LabeledData<Scalar> = TextWindows.samples(
      testIndices.map { documents[$0] }, contextLength: contextLength, classes: vocabulary)
    for (split, windows) in [("training", trainWindows), ("test", testWindows)] where windows.count == 0 {
      throw DatasetError(
        .invalidContents, path: nil,
        "no \(split) document has the \(contextLength + 1) characters one sample needs; lower the context length")
    }
    let train = TextWindows.shuffled(trainWindows, using: &generator)
    let test = TextWindows.shuffled(testWindows, using: &generator)
    return TaskData(
      name: name,
      description: """
        Character-level next-token prediction on the Lee background corpus (\(documents.count) ABC news \
        documents from gensim's test data; no licence of its own, fetched, never committed): 96 token ids \
        (printable ASCII plus one for anything else), windows of \(contextLength) characters predicting the \
        next character at every position. Split by document with seed \(seed): \(trainIndices.count) training \
        documents (\(train.count) windows), \(testIndices.count) test documents (\(test.count) windows).
        """,
      inputShape: [contextLength], classes: vocabulary, train: train, test: test)
  }

  /// ``makeTask(documents:name:)`` for documents given as text (encoded by ``CharacterVocabulary``).
  public func makeTask<Scalar: TensorScalar>(texts: [String], name: String = BuiltInTask.leeCorpus.rawValue) throws
    -> TaskData<Scalar>
  {
    try makeTask(documents: texts.map { CharacterVocabulary.encode($0) }, name: name)
  }
}
