import Foundation
import Testing

@testable import LayerCore

/// Paths of the committed fixtures and of the facts derived from them independently
/// (TestImages/tools/derive_facts.py, written without layerscope's code).
enum Fixtures {
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("TestImages")

  static func path(_ name: String) -> String { root.appendingPathComponent(name).path }

  /// The expected facts for one fixture, as JSON.
  static func expected(_ name: String) throws -> [String: Any] {
    let base = (name as NSString).deletingPathExtension
    let url = root.appendingPathComponent("expected/\(base).json")
    let data = try Data(contentsOf: url)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// Opens a fixture and builds the model of the image named `reference` (or the only one).
  static func model(_ name: String, _ reference: String? = nil, platform: String? = nil)
    throws -> ImageModel
  {
    let catalog = try ArchiveCatalog(path: path(name))
    let index = try ImageSelector.select(in: catalog, request: reference, platform: platform)
    return try catalog.openImage(at: index)
  }

  /// The model's changes of one layer as `path -> change`, paths decoded like the facts files
  /// write them (invalid UTF-8 bytes as `\xNN`).
  static func changes(_ model: ImageModel, layer: Int) -> [String: String] {
    var result: [String: String] = [:]
    let changes = model.changes[layer]
    for index in 0..<changes.count {
      result[display(model.tree.path(of: changes.nodes[index]))] = changes.kinds[index].name
    }
    return result
  }

  static func display(_ bytes: [UInt8]) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    var out = ""
    var index = 0
    while index < bytes.count {
      var end = index + 1
      while end <= bytes.count, end - index <= 4 {
        if let piece = String(validating: bytes[index..<end], as: UTF8.self) {
          out += piece
          break
        }
        end += 1
      }
      if end > bytes.count || end - index > 4 {
        out += String(format: "\\x%02x", bytes[index])
        index += 1
      } else {
        index = end
      }
    }
    return out
  }

  /// The facts file's changes of one layer as `path -> change`.
  static func expectedChanges(_ layer: [String: Any]) -> [String: String] {
    var result: [String: String] = [:]
    for kind in ["added", "modified", "removed"] {
      for item in layer[kind] as? [Any] ?? [] {
        if let path = item as? String {
          result[path] = kind
        } else if let object = item as? [String: Any], let path = object["path"] as? String {
          result[path] = kind
        }
      }
    }
    return result
  }
}
