/// Which layers BuildKit's build cache still refers to, read from `buildkit/snapshots.db`.
///
/// dockerd's BuildKit keeps a reference to every layer it built and to the layers it built on,
/// until `docker builder prune` drops them; `docker rmi` of the image does not free those layers.
/// Its snapshotter's bbolt database has one top-level bucket per snapshot, named by the
/// snapshot key (for a layer BuildKit built, the layer's `cache-id`), holding a `chainid` key
/// when the snapshot is a layerdb layer. Buckets named by a chain ID hold only cached figures and
/// keep nothing (a prune leaves them; dockerd then frees the layer).
/// When the file cannot be walked (dockerd writing it right now, a newer format), its raw bytes
/// are searched for each cache ID and chain ID instead: a layer is then rather counted as kept
/// than as freed.
struct BuildCacheReferences {
  private enum Source {
    case none
    case live(snapshotKeys: Set<[UInt8]>, chainIDs: Set<[UInt8]>)
    case raw([UInt8])
  }

  private let source: Source

  static let path = "buildkit/snapshots.db"

  /// Reads the cache of the data root; an absent or unreadable file refers to nothing.
  init(root: DataRootFolder) {
    self.init(databaseBytes: (try? root.read(Self.path, limit: 256 << 20)) ?? [])
  }

  /// Reads the cache from the bytes of its database file.
  init(databaseBytes file: [UInt8]) {
    guard !file.isEmpty else {
      source = .none
      return
    }
    guard let database = try? BoltFile(bytes: file) else {
      source = .raw(file)
      return
    }
    var keys: Set<[UInt8]> = []
    var chainIDs: Set<[UInt8]> = []
    let chainKey = Array("chainid".utf8)
    for entry in database.entries {
      if entry.buckets.isEmpty && entry.value == nil { keys.insert(entry.key) }
      if entry.buckets.count == 1, entry.key == chainKey, let value = entry.value {
        chainIDs.insert(value)
      }
    }
    source = .live(snapshotKeys: keys, chainIDs: chainIDs)
  }

  /// The layers (by index into `layers`) the cache refers to.
  func referenced(_ layers: [(chainID: String, cacheID: String)]) -> Set<Int> {
    switch source {
    case .none:
      return []
    case .live(let keys, let chainIDs):
      return Set(
        layers.indices.filter {
          keys.contains(Array(layers[$0].cacheID.utf8))
            || chainIDs.contains(Array(layers[$0].chainID.utf8))
        })
    case .raw(let bytes):
      return Self.search(bytes, for: layers)
    }
  }

  /// The layers whose cache ID or chain ID hex occurs anywhere in `bytes`.
  ///
  /// - Complexity: O(file size + layers), one pass over the file.
  static func search(_ bytes: [UInt8], for layers: [(chainID: String, cacheID: String)])
    -> Set<Int>
  {
    // Every needle is at least 8 bytes: index them by their first 8, then test each offset.
    var byPrefix: [UInt64: [(needle: [UInt8], layer: Int)]] = [:]
    for (index, layer) in layers.enumerated() {
      for text in [Digest.hex(layer.chainID), layer.cacheID] where text.utf8.count >= 8 {
        let needle = Array(text.utf8)
        byPrefix[prefix(needle), default: []].append((needle, index))
      }
    }
    var found: Set<Int> = []
    guard bytes.count >= 8, !byPrefix.isEmpty else { return found }
    bytes.withUnsafeBytes { raw in
      for offset in 0...(raw.count - 8) {
        let key = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        guard let candidates = byPrefix[key] else { continue }
        for (needle, layer) in candidates where offset + needle.count <= raw.count {
          if raw[offset..<(offset + needle.count)].elementsEqual(needle) { found.insert(layer) }
        }
      }
    }
    return found
  }

  private static func prefix(_ bytes: [UInt8]) -> UInt64 {
    bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self) }
  }
}
