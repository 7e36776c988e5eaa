import Foundation
import LayerCore
import LayerTerminal

/// The interactive view: the picker when a source holds several images, else the two panes.
enum Interactive {
  static func run(catalog: any ImageCatalog, options: CommandLineOptions) throws -> Int32 {
    var source = catalog
    var initial: Int?
    if let container = options.container {
      guard let dataRoot = catalog as? DataRootCatalog else {
        throw UsageError(description: "--container needs a Docker data root, not an archive")
      }
      source = SingleModelCatalog(
        sourcePath: catalog.sourcePath, model: try dataRoot.openContainer(container))
      initial = 0
    } else if options.image != nil || options.platform != nil || catalog.entries.count <= 1 {
      // No image at all is said in one line (a data root dockerd has just made), not with an
      // empty picker.
      (source, initial) = try Runner.select(in: catalog, options: options)
    }
    guard isatty(0) == 1 || options.keys != nil || options.keysFile != nil else {
      complain("standard input is not a terminal; use --json, --ci or --list")
      return ExitStatus.badInput
    }
    let chosen = source
    let start = initial
    return MainActor.assumeIsolated {
      InteractiveSession.run(
        catalog: chosen, initialImage: start, keys: options.keys, keysFile: options.keysFile)
    }
  }
}

/// A catalog of one model already built (a container's layers).
struct SingleModelCatalog: ImageCatalog {
  let sourcePath: String
  let model: ImageModel

  var entries: [CatalogEntry] {
    [
      CatalogEntry(
        names: model.info.tags, id: model.info.configDigest, created: model.info.created,
        sizeBytes: model.info.totalSize, layerCount: model.layerCount,
        platform: model.info.platform)
    ]
  }

  func openImage(at index: Int) throws -> ImageModel { model }
}
