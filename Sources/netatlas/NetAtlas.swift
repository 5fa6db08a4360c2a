import ArgumentParser

@main
struct NetAtlasCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "netatlas",
    abstract: "Map the inside of a trained neural network.",
    subcommands: [])
}
