import Foundation
import LayerCore

/// Tells what kind of source a path is, from its content, and opens it.
enum SourceOpener {
  /// An archive file or a layout directory opens as an ``ArchiveCatalog``; any other directory
  /// is taken as a Docker data root.
  static func open(_ path: String) throws -> any ImageCatalog {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    guard exists, isDirectory.boolValue else { return try ArchiveCatalog(path: path) }
    let layoutFiles = ["index.json", "manifest.json"]
    if layoutFiles.contains(where: { FileManager.default.fileExists(atPath: path + "/" + $0) }) {
      return try ArchiveCatalog(path: path)
    }
    return try DataRootCatalog.open(path: path)
  }
}
