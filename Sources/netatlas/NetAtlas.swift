import ArgumentParser
import Foundation

@main
struct NetAtlasCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "netatlas",
    abstract: "Map the inside of a trained neural network.",
    subcommands: [TrainCommand.self, EvaluateCommand.self, InspectCommand.self, DemoCommand.self, BenchCommand.self])

  /// Parses and runs; every failure (bad arguments, bad files, bad options) prints one clear
  /// message and exits with status 2. Help and version exit 0.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        exit(withError: error)
      }
      if let exit = error as? ExitCode, exit.rawValue == 2 { Foundation.exit(2) }
      let message = fullMessage(for: error)
      FileHandle.standardError.write(Data(((message.hasPrefix("Error:") ? "" : "error: ") + message + "\n").utf8))
      Foundation.exit(2)
    }
  }
}
