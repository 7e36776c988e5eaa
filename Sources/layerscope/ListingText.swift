import Foundation
import LayerCore

/// `--list`: the images a source holds, as text or JSON.
enum ListingText {
  static func write(_ catalog: any ImageCatalog, json: Bool) {
    let sink = ByteSink.standardOutput()
    if json {
      sink.write("{\"source\": \(quote(catalog.sourcePath)), \"images\": [")
      for (position, entry) in catalog.entries.enumerated() {
        sink.write(position == 0 ? "\n" : ",\n")
        sink.write("  {\"names\": [" + entry.names.map(quote).joined(separator: ", ") + "], ")
        sink.write("\"id\": \(quote(entry.id)), ")
        sink.write("\"manifestDigest\": \(entry.manifestDigest.map(quote) ?? "null"), ")
        sink.write("\"platform\": \(entry.platform.map(quote) ?? "null"), ")
        sink.write("\"created\": \(entry.created.map(quote) ?? "null"), ")
        sink.write("\"sizeBytes\": \(entry.sizeBytes.map(String.init) ?? "null"), ")
        sink.write("\"layerCount\": \(entry.layerCount)}")
      }
      sink.write("\n]}\n")
      return
    }
    sink.write(
      pad("IMAGE", 44) + pad("ID", 20) + pad("PLATFORM", 16) + pad("LAYERS", 8)
        + pad("SIZE", 10) + "CREATED\n")
    for entry in catalog.entries {
      let names = entry.names.isEmpty ? ["<untagged>"] : entry.names
      for (position, name) in names.enumerated() {
        if position > 0 {
          sink.write(pad("  " + name, 44) + "\n")
          continue
        }
        sink.write(
          pad(name, 44) + pad(Digest.short(entry.id), 20)
            + pad(entry.platform ?? "-", 16) + pad(String(entry.layerCount), 8)
            + pad(entry.sizeBytes.map(ByteCount.format) ?? "-", 10) + created(entry) + "\n")
      }
    }
  }

  /// The creation time to the minute, as the config gives it (UTC for Docker's builders).
  private static func created(_ entry: CatalogEntry) -> String {
    guard let text = entry.created, text.count >= 16 else { return entry.created ?? "-" }
    return text.prefix(16).replacingOccurrences(of: "T", with: " ")
  }

  private static func quote(_ text: String) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: [text]),
      let encoded = String(data: data, encoding: .utf8)
    else { return "\"\"" }
    return String(encoded.dropFirst().dropLast())
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }
}
