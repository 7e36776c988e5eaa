/// Every entry of one layer, read from its tar (or its tar-split metadata, or its diff folder),
/// in the order they came, with paths already cleaned.
///
/// This is the hand-off between a reader and the model builder: readers run in parallel, each
/// filling one scan, and the builder interns the paths afterwards.
/// Paths are relative to the image root, with no leading `/`, no `.` or `..` components and no
/// trailing `/`. A whiteout is stored at the path it removes, an opaque marker at its directory.
public struct LayerScan: Sendable {
  /// Concatenated path bytes; entry `i` spans `pathEnds[i-1] ..< pathEnds[i]`.
  public private(set) var pathBytes: [UInt8] = []
  public private(set) var pathEnds: [Int32] = []
  public private(set) var kinds: [EntryKind] = []
  public private(set) var modes: [UInt32] = []
  public private(set) var uids: [UInt32] = []
  public private(set) var gids: [UInt32] = []
  public private(set) var sizes: [Int64] = []
  /// Concatenated link targets (symlink targets verbatim, hard link targets cleaned).
  public private(set) var linkBytes: [UInt8] = []
  public private(set) var linkEnds: [Int32] = []
  /// Sum of the sizes in every header of the tar, duplicates and markers included (dive's figure).
  public var contentSize: Int64 = 0
  /// Number of headers in the tar, not counting PAX global headers.
  public var entryCount: Int = 0

  public init() {}

  /// The number of entries kept.
  public var count: Int { kinds.count }

  /// Appends one entry.
  public mutating func append(
    path: some Collection<UInt8>, kind: EntryKind, mode: UInt32, uid: UInt32, gid: UInt32,
    size: Int64, link: some Collection<UInt8>
  ) {
    pathBytes.append(contentsOf: path)
    pathEnds.append(Int32(pathBytes.count))
    kinds.append(kind)
    modes.append(mode)
    uids.append(uid)
    gids.append(gid)
    sizes.append(size)
    linkBytes.append(contentsOf: link)
    linkEnds.append(Int32(linkBytes.count))
  }

  /// The cleaned path of entry `index`.
  public func path(at index: Int) -> ArraySlice<UInt8> {
    let start = index == 0 ? 0 : Int(pathEnds[index - 1])
    return pathBytes[start..<Int(pathEnds[index])]
  }

  /// The link target of entry `index`, empty when it has none.
  public func link(at index: Int) -> ArraySlice<UInt8> {
    let start = index == 0 ? 0 : Int(linkEnds[index - 1])
    return linkBytes[start..<Int(linkEnds[index])]
  }
}

extension LayerScan {
  /// Whether the layer holds `.wh..wh..opq` at its root, hiding everything below.
  var marksRootOpaque: Bool {
    kinds.indices.contains { kinds[$0] == .opaqueMarker && path(at: $0).isEmpty }
  }
}
