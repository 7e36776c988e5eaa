/// One image a source holds, as a picker or `--list` shows it.
public struct CatalogEntry: Sendable, Equatable {
  /// Every name of the image (`repo:tag`, or `repo@sha256:…`); empty when untagged.
  public var names: [String]
  /// The image ID (config digest) or, for an index entry, the manifest digest.
  public var id: String
  public var created: String?
  /// Sum of layer sizes, when the source knows it without reading layers.
  public var sizeBytes: Int64?
  public var layerCount: Int
  /// `os/architecture[/variant]`, when known.
  public var platform: String?
  /// The manifest digest, when the source has manifests (OCI layouts).
  public var manifestDigest: String?

  public init(
    names: [String], id: String, created: String? = nil, sizeBytes: Int64? = nil,
    layerCount: Int, platform: String? = nil, manifestDigest: String? = nil
  ) {
    self.manifestDigest = manifestDigest
    self.names = names
    self.id = id
    self.created = created
    self.sizeBytes = sizeBytes
    self.layerCount = layerCount
    self.platform = platform
  }

  /// The first name, or the short ID for an untagged image.
  public var title: String { names.first ?? Digest.short(id) }
}

/// A source of images: an archive, an OCI layout, or a Docker data root.
public protocol ImageCatalog: Sendable {
  /// The path the user named.
  var sourcePath: String { get }
  /// The images, in the order to show them.
  var entries: [CatalogEntry] { get }
  /// Reads one image's layers and builds its model.
  func openImage(at index: Int) throws -> ImageModel
  /// The ancestry of every layer the source holds, when it can tell (data roots), else nil.
  func ancestry() throws -> LayerAncestry?
  /// Whether ``ancestry()`` can answer, known without reading anything.
  var hasLayerAncestry: Bool { get }
}

extension ImageCatalog {
  public func ancestry() throws -> LayerAncestry? { nil }
  public var hasLayerAncestry: Bool { false }
}

/// The tree of layers across all images of a data root: which layers are shared, by whom.
public struct LayerAncestry: Sendable {
  /// One layer in a chain: a layerdb entry.
  public struct Node: Sendable, Equatable {
    public var chainID: String
    public var diffID: String
    /// The layer's own size on disk (layerdb `size`).
    public var sizeBytes: Int64
    /// Index of the parent node, nil for a base layer.
    public var parent: Int?
    /// Indices of child nodes.
    public var children: [Int]
    /// Titles of the images whose layer chain includes this node.
    public var usedBy: [String]

    public init(
      chainID: String, diffID: String, sizeBytes: Int64, parent: Int?, children: [Int],
      usedBy: [String]
    ) {
      self.chainID = chainID
      self.diffID = diffID
      self.sizeBytes = sizeBytes
      self.parent = parent
      self.children = children
      self.usedBy = usedBy
    }
  }

  public var nodes: [Node]
  /// Indices of the base layers.
  public var roots: [Int]
  /// Per image title: bytes only that image holds (what removing it would free).
  public var exclusiveBytes: [String: Int64]

  public init(nodes: [Node], roots: [Int], exclusiveBytes: [String: Int64]) {
    self.nodes = nodes
    self.roots = roots
    self.exclusiveBytes = exclusiveBytes
  }
}
