import LayerCore

/// The interactive view.
enum Interactive {
  static func run(catalog: any ImageCatalog, options: CommandLineOptions) throws -> Int32 {
    // TODO: launch the terminal UI (issue 4) once LayerTerminal provides its entry point.
    complain("the interactive view is not built yet; use --json or --ci")
    return ExitStatus.badInput
  }
}
