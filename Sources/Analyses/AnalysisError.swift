/// A problem with the inputs or options of an analysis run, in one sentence that names it
/// (the CLI prints it and exits with status 2).
public struct AnalysisError: Error, CustomStringConvertible, Sendable, Equatable {
  public var description: String

  public init(_ description: String) { self.description = description }
}
