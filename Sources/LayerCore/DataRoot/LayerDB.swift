/// One layer in `image/overlay2/layerdb/sha256/<chain hex>/`.
public struct LayerDBEntry: Sendable {
  /// `sha256:<hex>` of the layer and every layer below it (the folder name).
  public var chainID: String
  /// The `diff` file: the layer tar's sha256.
  public var diffID: String
  /// The `parent` file: the chain ID below, nil for a base layer.
  public var parent: String?
  /// The `size` file: bytes of the layer's own files on disk (display only).
  public var sizeBytes: Int64
  /// The `cache-id` file: the layer's folder under `overlay2/`.
  public var cacheID: String
  /// The layerdb folder itself.
  let folder: DataRootFolder
}

/// Reads layerdb: the layers Docker knows, by chain ID.
struct LayerDB {
  /// `image/overlay2/layerdb`.
  let folder: DataRootFolder

  /// Every chain ID with a folder, skipping `tmp`, `mounts` and half-deleted `-removing` ones.
  func chainIDs() throws(DataRootError) -> [String] {
    // dockerd makes `sha256/` with the first layer: a data root with no image has none.
    guard try folder.exists("sha256") else { return [] }
    let layers = try folder.folder("sha256")
    return try layers.names().compactMap { name in
      let text = String(decoding: name, as: UTF8.self)
      let digest = "sha256:" + text
      return Digest.isValidSHA256(digest) ? digest : nil
    }.sorted()
  }

  /// Reads one layer's files.
  ///
  /// - Throws: ``DataRootError/vanished(path:)`` when the folder or a required file is gone,
  ///   ``DataRootError/malformed(path:detail:)`` when a file does not hold what it should.
  func entry(chainID: String) throws(DataRootError) -> LayerDBEntry {
    let layer = try folder.folder("sha256/" + Digest.hex(chainID))
    guard let diffID = try layer.text("diff") else {
      throw .vanished(path: layer.path + "/diff")
    }
    guard Digest.isValidSHA256(diffID) else {
      throw .malformed(path: layer.path + "/diff", detail: "not a sha256 digest")
    }
    let parent = try layer.text("parent")
    if let parent, !Digest.isValidSHA256(parent) {
      throw .malformed(path: layer.path + "/parent", detail: "not a sha256 digest")
    }
    guard let cacheID = try layer.text("cache-id"), !cacheID.isEmpty else {
      throw .vanished(path: layer.path + "/cache-id")
    }
    let size = try layer.text("size").flatMap { Int64($0) } ?? 0
    return LayerDBEntry(
      chainID: chainID, diffID: diffID, parent: parent, sizeBytes: size, cacheID: cacheID,
      folder: layer)
  }

  /// Reads the layers of `diffIDs`, bottom first, checking each against the chain.
  ///
  /// Each chain ID is computed from the diff IDs, and each layer's `diff` and `parent` must
  /// agree with it.
  func chain(diffIDs: [String], image: String) throws(DataRootError) -> [LayerDBEntry] {
    var result: [LayerDBEntry] = []
    var parent: String?
    for diffID in diffIDs {
      let chainID = parent.map { Self.chainID(parent: $0, diffID: diffID) } ?? diffID
      let entry: LayerDBEntry
      do {
        entry = try self.entry(chainID: chainID)
      } catch .vanished {
        throw .missingLayer(chainID: chainID, image: image)
      }
      guard entry.diffID == diffID else {
        throw .chainMismatch(
          chainID: chainID,
          detail: "'diff' holds \(entry.diffID), the "
            + "config says \(diffID)")
      }
      guard entry.parent == parent else {
        throw .chainMismatch(
          chainID: chainID,
          detail: "'parent' holds \(entry.parent ?? "nothing")"
            + ", the chain says \(parent ?? "nothing")")
      }
      result.append(entry)
      parent = chainID
    }
    return result
  }

  /// The chain ID of a layer with `diffID` on top of the chain `parent`: the sha256 of both
  /// digests joined by one space.
  static func chainID(parent: String, diffID: String) -> String {
    Digest.sha256(Array((parent + " " + diffID).utf8))
  }
}
