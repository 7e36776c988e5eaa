/// One entry of the image config's `history`: the step that made a layer, or an empty step.
public struct HistoryEntry: Sendable, Equatable {
  public var created: String?
  public var createdBy: String?
  public var author: String?
  public var comment: String?
  /// True for steps that made no layer (`ENV`, `LABEL`, …): `"empty_layer": true`.
  public var isEmptyLayer: Bool
  /// The layer this step made, or nil for an empty step or a step with no matching layer.
  public var layerIndex: Int?

  public init(
    created: String? = nil, createdBy: String? = nil, author: String? = nil,
    comment: String? = nil, isEmptyLayer: Bool = false, layerIndex: Int? = nil
  ) {
    self.created = created
    self.createdBy = createdBy
    self.author = author
    self.comment = comment
    self.isEmptyLayer = isEmptyLayer
    self.layerIndex = layerIndex
  }
}

/// What is known about one layer before and after reading it.
public struct LayerInfo: Sendable, Equatable {
  /// Position from the bottom, 0 first.
  public var index: Int
  /// sha256 of the uncompressed layer tar, from the config's `rootfs.diff_ids`.
  public var diffID: String
  /// Digest of the blob as stored (compressed or not), when known.
  public var blobDigest: String?
  /// Size of the blob as stored, when known.
  public var compressedSize: Int64?
  /// Media type of the blob, when a manifest names it.
  public var mediaType: String?
  /// The history step that made this layer.
  public var history: HistoryEntry?
  /// Sum of the sizes in the layer's tar headers (dive's layer size).
  public var contentSize: Int64 = 0
  /// Number of entries in the layer's tar.
  public var entryCount: Int = 0

  public init(index: Int, diffID: String) {
    self.index = index
    self.diffID = diffID
  }
}

/// The image as its manifest and config describe it.
public struct ImageInfo: Sendable, Equatable {
  /// The name the image was opened by (a tag, or a digest when it has none).
  public var reference: String?
  /// Every tag the source gives for this image.
  public var tags: [String] = []
  /// The config digest: the image ID on a graph-driver Docker.
  public var configDigest: String
  /// The manifest digest, when the source has a manifest.
  public var manifestDigest: String?
  public var os: String?
  public var architecture: String?
  public var variant: String?
  public var created: String?
  /// Layers, bottom first.
  public var layers: [LayerInfo]
  /// Every history step, empty ones included, in order.
  public var history: [HistoryEntry]

  public init(configDigest: String, layers: [LayerInfo], history: [HistoryEntry]) {
    self.configDigest = configDigest
    self.layers = layers
    self.history = history
  }

  /// `os/architecture[/variant]`, or nil when the config names neither.
  public var platform: String? {
    guard let os, let architecture else { return nil }
    return [os, architecture, variant].compactMap { $0 }.joined(separator: "/")
  }

  /// Sum of every layer's content size.
  public var totalSize: Int64 { layers.reduce(0) { $0 + $1.contentSize } }
}
