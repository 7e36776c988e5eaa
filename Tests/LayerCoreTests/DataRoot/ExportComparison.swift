import Foundation
import Testing

@testable import LayerCore

/// Compares a container's merged view (its top layer) with `docker export` of the container:
/// the same paths, and for each the same type, owner, permission bits, size and link target.
enum ExportComparison {
  /// Lines naming what differs; empty when the model shows what dockerd exported.
  static func differences(_ model: ImageModel, exported: [String: [Any]]) -> [String] {
    let view = model.mergedView(at: model.layerCount - 1)
    var ours: [String: [String]] = [:]
    for node in 1..<Int32(model.tree.count) where view.contains(node) {
      guard let index = view.record(of: node) else { continue }
      let record = model.record(index)
      let path = String(Fixtures.display(model.tree.path(of: node)).dropFirst())
      ours[path] = describe(
        kind: kindName(record.kind), uid: Int(record.uid), gid: Int(record.gid),
        mode: Int(record.mode), size: Int(record.size),
        link: String(decoding: record.linkTarget, as: UTF8.self),
        implicit: record.isImplicit)
    }
    var theirs: [String: [String]] = [:]
    for (path, fields) in exported {
      guard fields.count == 6, let kind = fields[0] as? String, let uid = fields[1] as? Int,
        let gid = fields[2] as? Int, let mode = fields[3] as? Int, let size = fields[4] as? Int,
        let link = fields[5] as? String
      else { return ["bad export entry for '\(path)'"] }
      theirs[path] = describe(
        kind: kind, uid: uid, gid: gid, mode: mode, size: size, link: link, implicit: false)
    }
    var out: [String] = []
    for path in Set(ours.keys).union(theirs.keys).sorted() {
      guard let mine = ours[path], let docker = theirs[path] else {
        out.append("'\(path)': \(ours[path] == nil ? "missing from the model" : "not exported")")
        continue
      }
      // An implicit folder was not listed by any layer: only its type is known.
      let compared = mine.last == "implicit" ? 1 : docker.count
      if Array(mine.prefix(compared)) != Array(docker.prefix(compared)) {
        out.append("'\(path)': \(mine) vs docker \(docker)")
      }
    }
    return out
  }

  private static func describe(
    kind: String, uid: Int, gid: Int, mode: Int, size: Int, link: String, implicit: Bool
  ) -> [String] {
    // docker export writes a hard link's second name as a link; the model may have met the
    // names in the other order, so only "a regular file's content" is compared for both.
    let type = kind == "hardlink" ? "file" : kind
    var fields = [type, "\(uid):\(gid)", String(mode & 0o7777, radix: 8)]
    fields.append(type == "file" && kind != "hardlink" ? "\(size)" : "-")
    fields.append(type == "symlink" ? link : "-")
    if implicit { fields.append("implicit") }
    return fields
  }

  private static func kindName(_ kind: EntryKind) -> String {
    switch kind {
    case .regular: "file"
    case .directory: "directory"
    case .symlink: "symlink"
    case .hardlink: "hardlink"
    case .characterDevice: "char"
    case .blockDevice: "block"
    case .fifo: "fifo"
    default: "other"
    }
  }
}
