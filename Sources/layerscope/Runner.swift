import Foundation
import LayerCore

/// Carries out one command line: opens the source, picks the image, writes what was asked.
struct Runner {
  let options: CommandLineOptions

  func run() -> Int32 {
    do {
      return try BuildOptions.$ignoreErrors.withValue(options.ignoreErrors) {
        try BuildOptions.$verifyPlainLayers.withValue(options.verify) { try runChecked() }
      }
    } catch let error as CIRules.ConfigError {
      complain(error.description)
      return ExitStatus.badInput
    } catch let error as UsageError {
      complain(error.description)
      return ExitStatus.usage
    } catch {
      complain("\(error)")
      return ExitStatus.badInput
    }
  }

  private func runChecked() throws -> Int32 {
    guard let source = options.source else { return ExitStatus.usage }
    let rules = try loadRules()
    let catalog = try SourceOpener.open(source)
    if let dataRoot = catalog as? DataRootCatalog {
      for warning in dataRoot.warnings { complain("warning: " + warning) }
      if options.verify {
        complain("warning: --verify checks archive layers; a data root's are read without data")
      }
    }
    if options.list {
      ListingText.write(catalog, json: options.json)
      return ExitStatus.success
    }
    if options.tree {
      guard let dataRoot = catalog as? DataRootCatalog else {
        throw UsageError(description: "--tree needs a Docker data root, not an archive")
      }
      print(try dataRoot.treeText(), terminator: "")
      return ExitStatus.success
    }
    if options.json || options.ci {
      let model = try openModel(catalog)
      for warning in model.warnings { complain("warning: " + warning) }
      if options.json {
        let sink = try options.jsonFile.map { try ByteSink.file($0) } ?? .standardOutput()
        JSONReport.write(model, to: sink, warnings: model.warnings)
        if let failure = sink.failure {
          complain("cannot write the JSON report: \(failure)")
          return ExitStatus.badInput
        }
      }
      if options.ci {
        return CIReport.write(model, rules: rules, quiet: options.json && options.jsonFile == nil)
      }
      return ExitStatus.success
    }
    return try Interactive.run(catalog: catalog, options: options)
  }

  /// The image (or, with `--container`, the container) the options name.
  private func openModel(_ catalog: any ImageCatalog) throws -> ImageModel {
    if let container = options.container {
      guard let dataRoot = catalog as? DataRootCatalog else {
        throw UsageError(description: "--container needs a Docker data root, not an archive")
      }
      return try dataRoot.openContainer(container)
    }
    let (chosen, index) = try Self.select(in: catalog, options: options)
    return try chosen.openImage(at: index)
  }

  /// The catalog and index of the image the options name. In a data root an ID prefix may also
  /// name an image the listing hides (the classic builder's intermediate images).
  static func select(
    in catalog: any ImageCatalog, options: CommandLineOptions
  ) throws -> (any ImageCatalog, Int) {
    if let dataRoot = catalog as? DataRootCatalog {
      let (chosen, index) = try dataRoot.selectImage(
        request: options.image, platform: options.platform)
      return (chosen, index)
    }
    return (
      catalog,
      try ImageSelector.select(in: catalog, request: options.image, platform: options.platform)
    )
  }

  /// dive's rules: defaults, then the config file, then flags.
  private func loadRules() throws -> CIRules {
    var rules = CIRules()
    if let path = options.ciConfig {
      try rules.load(file: path)
    } else if options.ci, FileManager.default.fileExists(atPath: ".dive-ci") {
      try rules.load(file: ".dive-ci")
    }
    for (name, value) in options.ruleFlags {
      try rules.set(name, value, source: "--" + name)
    }
    return rules
  }
}
