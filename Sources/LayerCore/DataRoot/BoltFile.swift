/// The live keys and values of a bbolt database file, read without locking it and without
/// bbolt: the meta page with the newest valid checksum, then its B+tree of buckets (pages are
/// `page header, elements, data`; a bucket's value is its root page number, or 0 and the
/// bucket's one page inline).
///
/// Only what is reachable from that meta page is returned, so keys deleted but still in free
/// pages are left out. Every offset is checked against the file; a page seen twice or a tree
/// deeper than 64 levels makes the file unreadable rather than looping.
struct BoltFile {
  /// Why the file cannot be walked.
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// One key reachable from the newest meta page.
  struct Entry: Equatable {
    /// The names of the buckets holding it, outermost first; empty for a top-level bucket.
    var buckets: [[UInt8]]
    var key: [UInt8]
    /// The value; nil when the key names a bucket.
    var value: [UInt8]?
  }

  /// Every key reachable, in tree order.
  let entries: [Entry]

  private static let magic: UInt32 = 0xED0C_DAED
  private static let headerSize = 16
  private static let branchFlag: UInt16 = 0x01
  private static let leafFlag: UInt16 = 0x02
  private static let bucketFlag: UInt32 = 0x01

  init(bytes: [UInt8]) throws(Failure) {
    let root = try Self.newestRoot(bytes)
    var walker = Walker(bytes: bytes, pageSize: root.pageSize)
    try walker.walkBucket(root: root.page, inline: nil, path: [])
    entries = walker.out
  }

  /// The page size and root bucket page of the valid meta page with the highest transaction.
  private static func newestRoot(_ bytes: [UInt8]) throws(Failure) -> (pageSize: Int, page: UInt64)
  {
    guard bytes.count >= 2 * 512 else { throw Failure(description: "too short for bbolt") }
    let firstSize = Int(load32(bytes, headerSize + 8) ?? 0)
    var best: (txid: UInt64, pageSize: Int, page: UInt64)?
    for offset in [0, firstSize] where firstSize >= 512 {
      let meta = offset + headerSize
      guard let magic = load32(bytes, meta), magic == Self.magic,
        let pageSize = load32(bytes, meta + 8), let page = load64(bytes, meta + 16),
        let txid = load64(bytes, meta + 48), let checksum = load64(bytes, meta + 56),
        fnv1a(bytes[meta..<(meta + 56)]) == checksum
      else { continue }
      guard (512...(1 << 20)).contains(pageSize) else { continue }
      if best.map({ txid > $0.txid }) ?? true { best = (txid, Int(pageSize), page) }
    }
    guard let best else { throw Failure(description: "no valid meta page") }
    return (best.pageSize, best.page)
  }

  /// Reads the B+tree pages and collects keys and values.
  private struct Walker {
    let bytes: [UInt8]
    let pageSize: Int
    var out: [Entry] = []
    var seen: Set<Int> = []

    /// Walks a bucket: its root page, or the page stored inline in its value at `inline`.
    mutating func walkBucket(
      root: UInt64, inline: (Int, Int)?, path: [[UInt8]], depth: Int = 0
    ) throws(Failure) {
      guard depth < 64 else { throw Failure(description: "buckets nested too deep") }
      if let (start, end) = inline {
        try walkPage(at: start, end: end, path: path, depth: depth)
        return
      }
      // Checked before any conversion: a damaged page number may be anything.
      guard root > 1, root < UInt64(bytes.count / pageSize),
        seen.insert(Int(root) * pageSize).inserted
      else { throw Failure(description: "bad page \(root)") }
      let offset = Int(root) * pageSize
      let pages = 1 + Int(BoltFile.load32(bytes, offset + 12) ?? 0)
      try walkPage(
        at: offset, end: min(bytes.count, offset + pages * pageSize), path: path, depth: depth)
    }

    private mutating func walkPage(
      at offset: Int, end: Int, path: [[UInt8]], depth: Int
    ) throws(Failure) {
      guard offset + BoltFile.headerSize <= end, let flags = BoltFile.load16(bytes, offset + 8),
        let count = BoltFile.load16(bytes, offset + 10)
      else { throw Failure(description: "page header past the end") }
      let elements = offset + BoltFile.headerSize
      for index in 0..<Int(count) {
        let element = elements + index * 16
        if flags & BoltFile.branchFlag != 0 {
          guard let child = BoltFile.load64(bytes, element + 8) else {
            throw Failure(description: "branch element past the end")
          }
          try walkBucket(root: child, inline: nil, path: path, depth: depth + 1)
        } else if flags & BoltFile.leafFlag != 0 {
          guard let elementFlags = BoltFile.load32(bytes, element),
            let position = BoltFile.load32(bytes, element + 4),
            let keySize = BoltFile.load32(bytes, element + 8),
            let valueSize = BoltFile.load32(bytes, element + 12)
          else { throw Failure(description: "leaf element past the end") }
          let key = element + Int(position)
          let value = key + Int(keySize)
          let valueEnd = value + Int(valueSize)
          guard valueEnd <= end else { throw Failure(description: "leaf data past the page") }
          let name = Array(bytes[key..<value])
          if elementFlags & BoltFile.bucketFlag != 0 {
            guard let root = BoltFile.load64(bytes, value) else {
              throw Failure(description: "bucket value too short")
            }
            out.append(Entry(buckets: path, key: name, value: nil))
            let page = root == 0 ? (value + 16, valueEnd) : nil
            try walkBucket(root: root, inline: page, path: path + [name], depth: depth + 1)
          } else {
            out.append(Entry(buckets: path, key: name, value: Array(bytes[value..<valueEnd])))
          }
        } else {
          throw Failure(description: "page at \(offset) is neither branch nor leaf")
        }
      }
    }
  }

  // MARK: - Little-endian fields

  static func load16(_ bytes: [UInt8], _ offset: Int) -> UInt16? {
    guard offset >= 0, offset + 2 <= bytes.count else { return nil }
    return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
  }

  static func load32(_ bytes: [UInt8], _ offset: Int) -> UInt32? {
    guard offset >= 0, offset + 4 <= bytes.count else { return nil }
    return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
  }

  static func load64(_ bytes: [UInt8], _ offset: Int) -> UInt64? {
    guard offset >= 0, offset + 8 <= bytes.count else { return nil }
    return (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
  }

  /// 64-bit FNV-1a, bbolt's meta page checksum.
  static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    bytes.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
  }
}
