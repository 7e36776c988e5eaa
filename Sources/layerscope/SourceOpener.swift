import Foundation
import LayerCore

/// Tells what kind of source a path is, from its content, and opens it.
enum SourceOpener {
  static func open(_ path: String) throws -> any ImageCatalog {
    try ArchiveCatalog(path: path)
  }
}
