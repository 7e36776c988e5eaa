import Foundation

@testable import LayerCore

/// Everything a model shows, as plain values keyed by path, so that two models of one image
/// read from different sources compare with `==` and differ in readable ways.
struct ModelSummary: Equatable {
  /// Per layer: diff ID, entry count, content size.
  var layers: [String]
  /// Per layer: `path -> change`.
  var changes: [[String: String]]
  /// Per path: every record, newest layer first, as `layer kind mode uid:gid size -> link`.
  var records: [String: [String]]
  /// The efficiency figures.
  var efficiency: [String]

  init(_ model: ImageModel) {
    layers = model.info.layers.map { "\($0.diffID) \($0.entryCount) \($0.contentSize)" }
    changes = model.changes.indices.map { Fixtures.changes(model, layer: $0) }
    records = [:]
    for node in 1..<Int32(model.tree.count) {
      let path = Fixtures.display(model.tree.path(of: node))
      records[path] = model.records(of: node).map { index in
        let r = model.record(index)
        return "\(r.layer) \(r.kind) \(String(r.mode, radix: 8)) \(r.uid):\(r.gid) \(r.size)"
          + " -> \(Fixtures.display(r.linkTarget))\(r.isImplicit ? " implicit" : "")"
          + (r.isOpaque ? " opaque" : "")
      }
    }
    let report = model.efficiency
    efficiency =
      [
        "score \(report.score)", "wasted \(report.wastedBytes)",
        "userWasted \(report.userWastedRatio)", "reclaimable \(report.reclaimableBytes)",
        "final \(report.finalBytes)",
      ]
      + report.inefficiencies.map {
        "\(Fixtures.display(model.tree.path(of: $0.node))) \($0.layerCount) \($0.totalBytes)"
      }
  }

  /// Lines naming what differs, for a readable failure.
  func differences(from other: ModelSummary) -> [String] {
    var out: [String] = []
    if layers != other.layers { out.append("layers: \(layers) vs \(other.layers)") }
    for index in 0..<min(changes.count, other.changes.count)
    where changes[index] != other.changes[index] {
      let keys = Set(changes[index].keys).union(other.changes[index].keys).sorted()
      for key in keys where changes[index][key] != other.changes[index][key] {
        out.append(
          "layer \(index) change \(key): \(changes[index][key] ?? "-") vs "
            + "\(other.changes[index][key] ?? "-")")
      }
    }
    for key in Set(records.keys).union(other.records.keys).sorted()
    where records[key] != other.records[key] {
      out.append("records \(key): \(records[key] ?? []) vs \(other.records[key] ?? [])")
    }
    if efficiency != other.efficiency {
      out.append("efficiency: \(efficiency) vs \(other.efficiency)")
    }
    return out
  }
}
