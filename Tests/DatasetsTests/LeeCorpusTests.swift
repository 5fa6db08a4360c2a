import Foundation
import Networks
import Testing

@testable import Datasets

@Suite struct LeeCorpusTests {
  /// Six made-up documents, each written with letters of its own, so a window tells which
  /// document it came from: document k uses only the letters "abc", "def", ... shifted by 3k.
  static let texts: [String] = (0..<6).map { k in
    let letters = (0..<3).map { Character(Unicode.Scalar(UInt8(97 + 3 * k + $0))) }
    return String((0..<(10 + 7 * k)).map { letters[($0 * $0 + k) % 3] })
  }

  @Test func vocabularyIsPrintableASCII() {
    // Ids are the ASCII code minus 31: "H" = 72, "i" = 105, "!" = 33, " " = 32, "~" = 126.
    #expect(CharacterVocabulary.encode("Hi! ~") == [41, 74, 2, 1, 95])
    #expect(CharacterVocabulary.encode(bytes: [72, 105, 0x0A, 0xA3]) == [41, 74, 0, 0])
    #expect(CharacterVocabulary.encode("£\t\n") == [0, 0, 0])
    #expect(CharacterVocabulary.decode([41, 74, 2, 1, 95]) == "Hi! ~")
    #expect(CharacterVocabulary.decode([0, 96, -1]) == "\u{FFFD}\u{FFFD}\u{FFFD}")
    let printable = String((32...126).map { Character(Unicode.Scalar(UInt8($0))) })
    #expect(CharacterVocabulary.encode(printable) == Array(1...95))
    #expect(CharacterVocabulary.decode(CharacterVocabulary.encode(printable)) == printable)
  }

  @Test func windowsStartEveryContextLength() {
    #expect(TextWindows.starts(length: 10, contextLength: 3) == [0, 3, 6])
    #expect(TextWindows.starts(length: 9, contextLength: 3) == [0, 3])
    #expect(TextWindows.starts(length: 4, contextLength: 3) == [0])
    #expect(TextWindows.starts(length: 3, contextLength: 3) == [])
    let data: LabeledData<Float> = TextWindows.samples([Array(10..<20)], contextLength: 3, classes: 96)
    #expect(data.inputs.shape == [3, 3])
    #expect(data.inputs.scalars == [10, 11, 12, 13, 14, 15, 16, 17, 18])
    #expect(data.labels == [11, 12, 13, 14, 15, 16, 17, 18, 19])
  }

  @Test func splitIsByDocumentAndCoversEveryWindow() throws {
    let task = LeeCorpusTask(seed: 3, contextLength: 4, testFraction: 0.3, fetchesIfMissing: false)
    let data: TaskData<Float> = try task.makeTask(texts: Self.texts)
    #expect(data.inputShape == [4] && data.classes == 96 && data.name == "lee-corpus")
    let documents = Self.texts.map { CharacterVocabulary.encode($0) }
    // round(0.3 * 6) = 2 test documents. Every window is a document's characters s..<s+4 with
    // labels s+1...s+4 for s = 0, 4, 8, ... with s + 5 <= n: floor((n - 1) / 4) windows.
    func describe(_ input: [Int], _ labels: [Int]) -> String { "\(input) -> \(labels)" }
    let expected = documents.map { tokens in
      stride(from: 0, through: tokens.count - 5, by: 4).map {
        describe(Array(tokens[$0..<($0 + 4)]), Array(tokens[($0 + 1)...($0 + 4)]))
      }.sorted()
    }
    var found = [[String]](repeating: [], count: documents.count)
    var documentsOfSplit: [Set<Int>] = []
    for split in [data.train, data.test] {
      #expect(split.labels.count == split.count * 4)
      var owners = Set<Int>()
      for i in 0..<split.count {
        let input = split.inputs.scalars[(i * 4)..<((i + 1) * 4)].map { Int($0) }
        let owner = (input[0] - CharacterVocabulary.encode("a")[0]) / 3
        found[owner].append(describe(input, Array(split.labels[(i * 4)..<((i + 1) * 4)])))
        owners.insert(owner)
      }
      documentsOfSplit.append(owners)
    }
    #expect(documentsOfSplit[0].isDisjoint(with: documentsOfSplit[1]))
    #expect(documentsOfSplit[1].count == 2 && documentsOfSplit[0].count == 4)
    for k in documents.indices {
      #expect(found[k].sorted() == expected[k], "document \(k)")
      #expect(expected[k].count == (documents[k].count - 1) / 4)
    }
  }

  @Test func splitIsDeterministicAndFollowsTheSeed() throws {
    let first: TaskData<Float> = try LeeCorpusTask(seed: 7, contextLength: 4).makeTask(texts: Self.texts)
    let again: TaskData<Float> = try LeeCorpusTask(seed: 7, contextLength: 4).makeTask(texts: Self.texts)
    #expect(first.train.inputs == again.train.inputs && first.train.labels == again.train.labels)
    #expect(first.test.inputs == again.test.inputs && first.test.labels == again.test.labels)
    // Other seeds hold out other documents (the first letter of a window names its document).
    func testDocuments(_ seed: UInt64) throws -> Set<Int> {
      let data: TaskData<Float> = try LeeCorpusTask(seed: seed, contextLength: 4).makeTask(texts: Self.texts)
      return Set((0..<data.test.count).map { (Int(data.test.inputs[$0, 0]) - 66) / 3 })
    }
    let heldOut = try (0..<8).map { try testDocuments(UInt64($0)) }
    #expect(heldOut.allSatisfy { $0.count == 1 })  // round(0.1 * 6) = 1 document
    #expect(Set(heldOut).count > 1)
  }

  @Test func badParametersAndTextsAreNamed() throws {
    func kind(_ task: LeeCorpusTask, _ texts: [String]) -> DatasetError.Kind? {
      do {
        let _: TaskData<Float> = try task.makeTask(texts: texts)
        return nil
      } catch let error as DatasetError {
        return error.kind
      } catch {
        return nil
      }
    }
    #expect(kind(LeeCorpusTask(contextLength: 0), Self.texts) == .invalidParameter)
    #expect(kind(LeeCorpusTask(testFraction: 1), Self.texts) == .invalidParameter)
    #expect(kind(LeeCorpusTask(testFraction: 0), Self.texts) == .invalidParameter)
    #expect(kind(LeeCorpusTask(contextLength: 4), ["only one document"]) == .invalidContents)
    #expect(kind(LeeCorpusTask(contextLength: 200), Self.texts) == .invalidContents)
    do {
      let _: TaskData<Float> = try LeeCorpusTask(contextLength: 4).makeTask(documents: [[1, 2, 3, 4, 5, 6], [1, 2, 96, 4, 5]])
      Issue.record("a token id of 96 was accepted")
    } catch let error as DatasetError {
      #expect(error.kind == .invalidContents && error.description.contains("0..<96"))
    }
  }

  @Test func missingCorpusSaysHowToFetch() throws {
    let root = try NumPyWriting.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let task = LeeCorpusTask(cacheDirectory: root, fetchesIfMissing: false)
    #expect(!task.isCached && task.corpusURL.path == root.path + "/lee-corpus/lee_background.cor")
    do {
      let _: TaskData<Float> = try task.load()
      Issue.record("loading an empty cache succeeded")
    } catch let error as DatasetError {
      #expect(error.kind == .missingFile && error.path == task.corpusURL.path)
      #expect(error.description.contains("python3 scripts/fetch_lee_corpus.py --out \(task.directory.path)"))
    }
  }

  @Test func cachedFileIsReadByLine() throws {
    let root = try NumPyWriting.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let task = LeeCorpusTask(contextLength: 4, testFraction: 0.3, cacheDirectory: root, fetchesIfMissing: false)
    try FileManager.default.createDirectory(at: task.directory, withIntermediateDirectories: true)
    // Lines end in "\n" or "\r\n"; blank lines are not documents; the byte 0xA3 ("£" in Latin-1) is unknown.
    var bytes = Data((Self.texts.joined(separator: "\n") + "\r\n  \n\n").utf8)
    bytes.append(contentsOf: [0x41, 0xA3, 0x42, 0x43, 0x44, 0x45, 0x0A])
    try bytes.write(to: task.corpusURL)
    let documents = try task.documents()
    #expect(documents == Self.texts.map { CharacterVocabulary.encode($0) } + [[34, 0, 35, 36, 37, 38]])
    let data: TaskData<Float> = try task.load()
    let direct: TaskData<Float> = try task.makeTask(documents: documents)
    #expect(data.train.inputs == direct.train.inputs && data.test.labels == direct.test.labels)

    try Data("\n \n".utf8).write(to: task.corpusURL)
    do {
      let _: TaskData<Float> = try task.load()
      Issue.record("loading a blank file succeeded")
    } catch let error as DatasetError {
      #expect(error.kind == .invalidContents && error.path == task.corpusURL.path)
    }
  }

  @Test func missingFetchScriptIsReported() throws {
    let root = try NumPyWriting.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    do {
      try FetchScript.run(
        scriptPath: "scripts/no_such_fetch_script.py", dataName: "nothing", into: root, expectedFiles: ["x"])
      Issue.record("a missing fetch script ran")
    } catch let error as DatasetError {
      #expect(error.kind == .fetchFailed)
      #expect(error.description.contains("scripts/no_such_fetch_script.py was not found"))
    }
  }

  /// The real corpus: runs only when it is cached already (`python3 scripts/fetch_lee_corpus.py`).
  @Test(.enabled(if: LeeCorpusTask().isCached, "fetch the Lee corpus to run"))
  func realCorpus() throws {
    let task = LeeCorpusTask(fetchesIfMissing: false)
    let documents = try task.documents()
    // From the file (python3: lines of lee_background.cor): 300 documents, 359,783 characters,
    // sum over documents of floor((length - 1) / 64) = 5,466 windows.
    #expect(documents.count == 300)
    #expect(documents.map(\.count).reduce(0, +) == 359_783)
    let data: TaskData<Float> = try BuiltInTask.leeCorpus.load()
    #expect(data.train.count + data.test.count == 5466)
    #expect(data.inputShape == [64] && data.classes == 96)
    #expect(data.test.count > 300 && data.test.count < 900)  // 30 of 300 documents
  }
}
