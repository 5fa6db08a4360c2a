import Foundation
import Networks

/// Terminal output: a progress bar on a TTY, plain log lines otherwise.
public enum Console {
  public static var isTerminal: Bool { isatty(STDERR_FILENO) != 0 }

  public static func log(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  /// An observer that draws a progress bar (TTY) or logs every `interval` epochs.
  public static func trainingProgress(label: String, epochs: Int, interval: Int) -> (TrainingRecord) -> Void {
    let start = Date()
    return { record in
      let accuracy = record.testAccuracy.map { String(format: " test %.3f", $0) } ?? ""
      let figures = String(format: "loss %.4f train %.3f", record.loss, record.trainAccuracy) + accuracy
      let elapsed = String(format: "%.1fs", Date().timeIntervalSince(start))
      if isTerminal {
        let width = 24
        let filled = Int(Double(width) * Double(record.epoch) / Double(max(epochs, 1)))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(record.epoch)/\(epochs) \(figures) \(elapsed)   ".utf8))
      } else if record.epoch == 1 || record.epoch % interval == 0 || record.epoch == epochs {
        log("\(label) epoch \(record.epoch)/\(epochs) \(figures) \(elapsed)")
      }
    }
  }

  /// Ends a progress bar line.
  public static func finishProgress() {
    if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}
