import Analyses
import ArgumentParser
import Foundation
import Tensors

@main
struct NetAtlasCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "netatlas",
    abstract: "Map the inside of a trained neural network.",
    subcommands: [
      TrainCommand.self, EvaluateCommand.self, InspectCommand.self, DemoCommand.self, BenchCommand.self, LayersCommand.self,
      ModulesCommand.self, CompressCommand.self, FinetuneCommand.self, LibCommand.self,
    ])

  /// The process exit status for a user error: bad arguments, files or options.
  static let userErrorStatus: Int32 = 2

  /// Parses and runs `arguments`; returns the exit status and, on failure, the message to
  /// print. Help and version requests print their text and return 0.
  static func execute(_ arguments: [String]) -> (status: Int32, message: String?) {
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
      return (0, nil)
    } catch {
      if exitCode(for: error) == .success { return (0, fullMessage(for: error)) }
      let message = fullMessage(for: error)
      return (userErrorStatus, message.hasPrefix("Error:") ? message : "error: " + message)
    }
  }

  static func main() {
    AllocatorTuning.configureForTensors()
    let (status, message) = execute(Array(CommandLine.arguments.dropFirst()))
    if let message {
      let stream = status == 0 ? FileHandle.standardOutput : FileHandle.standardError
      stream.write(Data((message + "\n").utf8))
    }
    Foundation.exit(status)
  }
}
