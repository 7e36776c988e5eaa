import Foundation

/// The parts of an image config (Docker image spec 1.2 / OCI config) that layerscope uses.
public struct ImageConfig: Decodable, Sendable {
  public struct RootFS: Decodable, Sendable {
    public var type: String?
    public var diffIDs: [String]

    enum CodingKeys: String, CodingKey {
      case type
      case diffIDs = "diff_ids"
    }
  }

  public struct History: Decodable, Sendable {
    public var created: String?
    public var createdBy: String?
    public var author: String?
    public var comment: String?
    public var emptyLayer: Bool?

    enum CodingKeys: String, CodingKey {
      case created, author, comment
      case createdBy = "created_by"
      case emptyLayer = "empty_layer"
    }
  }

  public var architecture: String?
  public var os: String?
  public var variant: String?
  public var created: String?
  public var rootfs: RootFS
  public var history: [History]?

  /// Decodes a config, naming `source` in the error.
  public static func decode(_ data: Data, source: String) throws(ImageSourceError) -> ImageConfig {
    do {
      return try JSONDecoder().decode(ImageConfig.self, from: data)
    } catch {
      throw .malformedJSON(file: source, detail: describe(error))
    }
  }

  /// Builds the image description: layers bottom first, each paired with the history step that
  /// made it (walking `history` and taking the next layer for each step not marked empty).
  public func makeInfo(configDigest: String) -> ImageInfo {
    var layers = rootfs.diffIDs.enumerated().map { LayerInfo(index: $0.offset, diffID: $0.element) }
    var steps: [HistoryEntry] = []
    var next = 0
    for step in history ?? [] {
      let empty = step.emptyLayer ?? false
      var entry = HistoryEntry(
        created: step.created, createdBy: step.createdBy, author: step.author,
        comment: step.comment, isEmptyLayer: empty)
      if !empty && next < layers.count {
        entry.layerIndex = next
        layers[next].history = entry
        next += 1
      }
      steps.append(entry)
    }
    var info = ImageInfo(configDigest: configDigest, layers: layers, history: steps)
    info.os = os
    info.architecture = architecture
    info.variant = variant
    info.created = created
    return info
  }
}

/// Turns a decoding error into a short phrase naming where the JSON went wrong.
func describe(_ error: any Error) -> String {
  guard let decoding = error as? DecodingError else { return "\(error)" }
  func at(_ path: [any CodingKey]) -> String {
    path.isEmpty
      ? ""
      : " at '"
        + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        .joined(separator: ".") + "'"
  }
  switch decoding {
  case .dataCorrupted(let context):
    return "not valid JSON" + at(context.codingPath)
  case .keyNotFound(let key, let context):
    return "missing key '\(key.stringValue)'" + at(context.codingPath)
  case .typeMismatch(_, let context), .valueNotFound(_, let context):
    return "unexpected value" + at(context.codingPath)
  @unknown default:
    return "not valid JSON"
  }
}
