/// The index of one record (one entry of one layer) in a ``RecordStore``.
public typealias RecordIndex = Int32

/// What one layer said about one path: the entry's facts, column by column.
struct RecordStore: Sendable {
  static let implicitFlag: UInt8 = 1
  static let opaqueFlag: UInt8 = 2

  var nodes: [NodeIndex] = []
  var layers: [UInt16] = []
  var kinds: [EntryKind] = []
  var flags: [UInt8] = []
  var modes: [UInt32] = []
  var uids: [UInt32] = []
  var gids: [UInt32] = []
  var sizes: [Int64] = []
  var linkStarts: [Int32] = []
  var linkEnds: [Int32] = []
  var links: [UInt8] = []
  /// The same node's record in the nearest lower layer that has one, or -1.
  var below: [RecordIndex] = []

  var count: Int { nodes.count }

  mutating func reserve(_ extra: Int) {
    let total = count + extra
    nodes.reserveCapacity(total)
    layers.reserveCapacity(total)
    kinds.reserveCapacity(total)
    flags.reserveCapacity(total)
    modes.reserveCapacity(total)
    uids.reserveCapacity(total)
    gids.reserveCapacity(total)
    sizes.reserveCapacity(total)
    linkStarts.reserveCapacity(total)
    linkEnds.reserveCapacity(total)
    below.reserveCapacity(total)
  }

  mutating func append(
    node: NodeIndex, layer: Int, kind: EntryKind, flags: UInt8, mode: UInt32, uid: UInt32,
    gid: UInt32, size: Int64, link: ArraySlice<UInt8>, below: RecordIndex
  ) -> RecordIndex {
    let index = RecordIndex(count)
    nodes.append(node)
    layers.append(UInt16(layer))
    kinds.append(kind)
    self.flags.append(flags)
    modes.append(mode)
    uids.append(uid)
    gids.append(gid)
    sizes.append(size)
    linkStarts.append(Int32(links.count))
    links.append(contentsOf: link)
    linkEnds.append(Int32(links.count))
    self.below.append(below)
    return index
  }

  func link(of record: RecordIndex) -> ArraySlice<UInt8> {
    links[Int(linkStarts[Int(record)])..<Int(linkEnds[Int(record)])]
  }

  func isDirectory(_ record: RecordIndex) -> Bool { kinds[Int(record)] == .directory }

  func isOpaque(_ record: RecordIndex) -> Bool { flags[Int(record)] & Self.opaqueFlag != 0 }

  /// Whether two records describe the same file as far as headers tell (content aside).
  func sameFacts(_ a: RecordIndex, _ b: RecordIndex) -> Bool {
    let i = Int(a)
    let j = Int(b)
    return kinds[i] == kinds[j] && modes[i] == modes[j] && uids[i] == uids[j]
      && gids[i] == gids[j] && sizes[i] == sizes[j] && link(of: a) == link(of: b)
  }
}

/// One entry of one layer, as the model keeps it.
public struct EntryRecord: Sendable, Equatable {
  /// The layer that wrote this entry (0 is the bottom layer).
  public var layer: Int
  public var kind: EntryKind
  /// Permission bits, setuid, setgid and sticky included.
  public var mode: UInt32
  public var uid: UInt32
  public var gid: UInt32
  /// The size in the tar header.
  public var size: Int64
  /// The symlink target (verbatim) or hard link target (a clean path), empty for other kinds.
  public var linkTarget: [UInt8]
  /// True when the layer has no entry of its own here, only entries below it.
  public var isImplicit: Bool
  /// True when the layer marked this directory opaque (`.wh..wh..opq`).
  public var isOpaque: Bool
}
