/// Which layers BuildKit's build cache still refers to, read from `buildkit/snapshots.db`.
///
/// dockerd's BuildKit keeps a reference to every layer it built (their `cache-id` is BuildKit's
/// own snapshot key) and to the base layers it built on (by chain ID), until
/// `docker builder prune` drops them; `docker rmi` of the image does not free those layers.
/// The database is bbolt; rather than walking its pages, the whole file is searched for each
/// layer's cache ID and chain ID.
// FIXME: bbolt leaves the bytes of deleted keys in free pages, so a layer pruned from the cache
// may still be counted as kept until those pages are reused; walking the live B+tree would be
// exact.
struct BuildCacheReferences {
  /// The bytes of `snapshots.db`; empty when there is none (no BuildKit build yet).
  private let bytes: [UInt8]

  static let path = "buildkit/snapshots.db"

  /// Reads the cache of the data root; an absent or unreadable file refers to nothing.
  init(root: DataRootFolder) {
    bytes = (try? root.read(Self.path, limit: 256 << 20)) ?? []
  }

  /// The layers (by index into `layers`) whose cache ID or chain ID hex the cache mentions.
  ///
  /// - Complexity: O(file size + layers), one pass over the file.
  func referenced(_ layers: [(chainID: String, cacheID: String)]) -> Set<Int> {
    // Every needle is at least 8 bytes: index them by their first 8, then test each offset.
    var byPrefix: [UInt64: [(needle: [UInt8], layer: Int)]] = [:]
    for (index, layer) in layers.enumerated() {
      for text in [Digest.hex(layer.chainID), layer.cacheID] where text.utf8.count >= 8 {
        let needle = Array(text.utf8)
        byPrefix[Self.prefix(needle, at: 0), default: []].append((needle, index))
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

  private static func prefix(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
  }
}
