import Foundation

/// Writes an ``ImageModel`` as the JSON document docs/JSON.md describes, streaming each change
/// as it goes so a large image never needs its whole report in memory.
public enum JSONReport {
  /// The schema version written at the top of every report.
  public static let schemaVersion = 1

  /// How many paths the efficiency lists hold at most.
  public static let listLimit = 100

  public static func write(_ model: ImageModel, to sink: ByteSink, warnings: [String] = []) {
    let info = model.info
    sink.write("{\n  \"schemaVersion\": \(schemaVersion),\n  \"image\": {\n")
    let fields: [(String, String)] = [
      ("reference", JSONText.optional(info.reference)),
      ("tags", "[" + info.tags.map(JSONText.string).joined(separator: ", ") + "]"),
      ("configDigest", JSONText.string(info.configDigest)),
      ("manifestDigest", JSONText.optional(info.manifestDigest)),
      ("os", JSONText.optional(info.os)),
      ("architecture", JSONText.optional(info.architecture)),
      ("variant", JSONText.optional(info.variant)),
      ("created", JSONText.optional(info.created)),
      ("sizeBytes", String(info.totalSize)),
      ("finalSizeBytes", String(model.efficiency.finalBytes)),
      ("layerCount", String(info.layers.count)),
    ]
    sink.write(fields.map { "    \"\($0.0)\": \($0.1)" }.joined(separator: ",\n"))
    sink.write("\n  },\n  \"history\": [")
    for (position, step) in info.history.enumerated() {
      sink.write(position == 0 ? "\n" : ",\n")
      sink.write("    {\"created\": \(JSONText.optional(step.created)), ")
      sink.write("\"createdBy\": \(JSONText.optional(step.createdBy)), ")
      sink.write("\"comment\": \(JSONText.optional(step.comment)), ")
      sink.write("\"emptyLayer\": \(step.isEmptyLayer), ")
      sink.write("\"layerIndex\": \(step.layerIndex.map(String.init) ?? "null")}")
    }
    sink.write(info.history.isEmpty ? "],\n" : "\n  ],\n")
    sink.write("  \"layers\": [")
    for layer in info.layers {
      sink.write(layer.index == 0 ? "\n" : ",\n")
      writeLayer(layer, model: model, to: sink)
    }
    sink.write(info.layers.isEmpty ? "],\n" : "\n  ],\n")
    writeEfficiency(model, to: sink)
    sink.write(",\n  \"warnings\": [" + warnings.map(JSONText.string).joined(separator: ", "))
    sink.write("]\n}\n")
    sink.flush()
  }

  private static func writeLayer(_ layer: LayerInfo, model: ImageModel, to sink: ByteSink) {
    let changes = model.changes[layer.index]
    let counts = ChangeKind.allCases.map { "\"\($0.name)\": \(changes.count(of: $0))" }
    sink.write("    {\n      \"index\": \(layer.index),\n")
    sink.write("      \"diffID\": \(JSONText.string(layer.diffID)),\n")
    sink.write("      \"digest\": \(JSONText.optional(layer.blobDigest)),\n")
    sink.write("      \"mediaType\": \(JSONText.optional(layer.mediaType)),\n")
    sink.write(
      "      \"compressedSizeBytes\": \(layer.compressedSize.map(String.init) ?? "null"),\n")
    sink.write("      \"sizeBytes\": \(layer.contentSize),\n")
    sink.write("      \"entryCount\": \(layer.entryCount),\n")
    sink.write("      \"command\": \(JSONText.optional(layer.history?.createdBy)),\n")
    sink.write("      \"created\": \(JSONText.optional(layer.history?.created)),\n")
    sink.write("      \"comment\": \(JSONText.optional(layer.history?.comment)),\n")
    sink.write("      \"changeCounts\": {\(counts.joined(separator: ", "))},\n")
    sink.write("      \"changes\": [")
    var path: [UInt8] = []
    for index in 0..<changes.count {
      let node = changes.nodes[index]
      let kind = changes.kinds[index]
      let record =
        kind == .removed
        ? model.records(of: node).first { model.layer(of: $0) < layer.index }
        : model.record(of: node, inLayer: layer.index)
      path.removeAll(keepingCapacity: true)
      model.tree.appendPath(of: node, to: &path)
      sink.write(index == 0 ? "\n        {\"path\": " : ",\n        {\"path\": ")
      sink.writeJSONString(bytes: path)
      sink.write(", ")
      if path.contains(where: { $0 >= 0x80 }) && !JSONText.isValidUTF8(path) {
        sink.write("\"pathBase64\": \(JSONText.string(Data(path).base64EncodedString())), ")
      }
      sink.write("\"change\": \"" + kind.name + "\"")
      if let record {
        sink.write(
          ", \"type\": \"" + typeName(model.kind(of: record)) + "\", \"sizeBytes\": "
            + String(model.size(of: record)) + "}")
      } else {
        sink.write("}")
      }
    }
    sink.write(changes.count == 0 ? "]\n    }" : "\n      ]\n    }")
  }

  private static func writeEfficiency(_ model: ImageModel, to sink: ByteSink) {
    let report = model.efficiency
    sink.write("  \"efficiency\": {\n")
    sink.write("    \"score\": \(JSONText.number(report.score)),\n")
    sink.write("    \"wastedBytes\": \(report.wastedBytes),\n")
    sink.write("    \"userWastedPercent\": \(JSONText.number(report.userWastedPercent)),\n")
    sink.write("    \"reclaimableBytes\": \(report.reclaimableBytes),\n")
    sink.write("    \"inefficientPaths\": [")
    for (position, item) in report.inefficiencies.prefix(listLimit).enumerated() {
      sink.write(position == 0 ? "\n" : ",\n")
      sink.write("      {\"path\": \(JSONText.string(bytes: model.tree.path(of: item.node))), ")
      sink.write("\"count\": \(item.layerCount), \"sizeBytes\": \(item.totalBytes)}")
    }
    sink.write(report.inefficiencies.isEmpty ? "],\n" : "\n    ],\n")
    sink.write("    \"reclaimablePaths\": [")
    for (position, item) in report.topReclaimable.prefix(listLimit).enumerated() {
      sink.write(position == 0 ? "\n" : ",\n")
      sink.write("      {\"path\": \(JSONText.string(bytes: model.tree.path(of: item.node))), ")
      sink.write("\"sizeBytes\": \(item.bytes)}")
    }
    sink.write(report.topReclaimable.isEmpty ? "]\n  }" : "\n    ]\n  }")
  }

  /// The word for an entry type in JSON.
  public static func typeName(_ kind: EntryKind) -> String {
    switch kind {
    case .regular: "file"
    case .directory: "directory"
    case .symlink: "symlink"
    case .hardlink: "hardlink"
    case .characterDevice: "char-device"
    case .blockDevice: "block-device"
    case .fifo: "fifo"
    case .whiteout: "whiteout"
    case .opaqueMarker: "opaque"
    }
  }
}
