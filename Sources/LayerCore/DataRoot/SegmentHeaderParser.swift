/// Finds the tar headers in tar-split's segments, which hold every header byte of the layer tar
/// but none of the file data.
///
/// The segments, joined, are the tar with each regular file's data cut out; the padding after
/// that data is still there, at the start of the next segment. The parser reads the joined
/// bytes as they arrive: a header block, then the data of PAX (`x`, `g`) and GNU long-name
/// (`L`, `K`) headers, which the segments keep, and, after a file header, only the padding of
/// its data. Headers are parsed here rather than by libarchive, because libarchive would need
/// the file data it skips to be present (or a synthetic stream of zeros), and the fields needed
/// are few.
struct SegmentHeaderParser {
  /// One entry's header, after PAX and GNU long names are folded in.
  struct Header {
    var name: [UInt8]
    var linkName: [UInt8]
    var typeflag: UInt8
    var mode: UInt32
    var uid: UInt32
    var gid: UInt32
    /// The size as the header states it (PAX `size` wins).
    var size: Int64
    /// True for a PAX global header (`g`), which is no entry of the layer.
    var isGlobal: Bool

    /// Whether the type carries no data whatever its size field says (links, dirs, devices).
    var isHeaderOnly: Bool { (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(typeflag) }
  }

  /// Why the bytes are not a tar stream, with the offset in the joined segments.
  struct Failure: Error {
    var offset: Int64
    var detail: String
  }

  private var buffer: [UInt8] = []
  private var head = 0
  /// Bytes of padding still to drop before the next header.
  private var skip: Int64 = 0
  /// Offset of `buffer[head]` in the joined segments, for messages.
  private var offset: Int64 = 0
  private var paxName: [UInt8]?
  private var paxLink: [UInt8]?
  private var paxSize: Int64?
  private var paxUID: UInt32?
  private var paxGID: UInt32?
  private var longName: [UInt8]?
  private var longLink: [UInt8]?
  /// True after the end-of-archive zero block.
  private(set) var isFinished = false

  init() {}

  /// Adds one segment's bytes and returns the headers completed by them.
  mutating func feed(_ segment: [UInt8]) throws(Failure) -> [Header] {
    guard !isFinished else { return [] }
    buffer.append(contentsOf: segment)
    var headers: [Header] = []
    while !isFinished {
      let available = buffer.count - head
      if skip > 0 {
        let dropped = Int(min(skip, Int64(available)))
        advance(dropped)
        skip -= Int64(dropped)
        if skip > 0 { break }
      }
      guard buffer.count - head >= 512 else { break }
      guard let header = try parseOne() else { break }
      if let header { headers.append(header) }
    }
    if head > 1 << 16 || head == buffer.count {
      buffer.removeSubrange(0..<head)
      head = 0
    }
    return headers
  }

  private mutating func advance(_ count: Int) {
    head += count
    offset += Int64(count)
  }

  /// Parses the header at `head`: nil when more bytes are needed, `.some(nil)` after a header
  /// that is folded into the next one (or the end of the archive).
  private mutating func parseOne() throws(Failure) -> Header?? {
    let block = buffer[head..<head + 512]
    if block.allSatisfy({ $0 == 0 }) {
      isFinished = true
      return .some(nil)
    }
    guard Self.checksumMatches(block) else {
      throw Failure(offset: offset, detail: "header checksum mismatch")
    }
    let typeflag = block[block.startIndex + 156]
    guard let fieldSize = Self.number(block, 124, 12), fieldSize >= 0 else {
      throw Failure(offset: offset, detail: "bad size field")
    }
    let padding = (512 - fieldSize % 512) % 512

    switch typeflag {
    case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
      guard fieldSize < 1 << 24 else { throw Failure(offset: offset, detail: "huge header") }
      guard buffer.count - head >= 512 + Int(fieldSize) else { return nil }
      let data = Array(buffer[head + 512..<head + 512 + Int(fieldSize)])
      advance(512 + Int(fieldSize))
      skip = padding
      switch typeflag {
      case UInt8(ascii: "x"): try applyPAX(data)
      case UInt8(ascii: "L"): longName = Self.cString(data[...])
      case UInt8(ascii: "K"): longLink = Self.cString(data[...])
      default:
        return .some(
          Header(
            name: Self.cString(block[block.startIndex..<block.startIndex + 100]), linkName: [],
            typeflag: typeflag, mode: 0, uid: 0, gid: 0, size: 0, isGlobal: true))
      }
      return .some(nil)
    case UInt8(ascii: "S"):
      throw Failure(offset: offset, detail: "GNU sparse files are not supported")
    default:
      break
    }

    let header = try makeHeader(block, typeflag: typeflag, fieldSize: fieldSize)
    advance(512)
    let dataSize = header.isHeaderOnly ? 0 : header.size
    skip = (512 - dataSize % 512) % 512
    return .some(header)
  }

  private mutating func makeHeader(
    _ block: ArraySlice<UInt8>, typeflag: UInt8, fieldSize: Int64
  ) throws(Failure) -> Header {
    let base = block.startIndex
    var name = Self.cString(block[base..<base + 100])
    let isUSTAR = block[base + 257..<base + 263].elementsEqual(Array("ustar\0".utf8))
    if isUSTAR {
      let prefix = Self.cString(block[base + 345..<base + 500])
      if !prefix.isEmpty { name = prefix + [UInt8(ascii: "/")] + name }
    }
    name = paxName ?? longName ?? name
    let link = paxLink ?? longLink ?? Self.cString(block[base + 157..<base + 257])
    guard let mode = Self.number(block, 100, 8), let uid = Self.number(block, 108, 8),
      let gid = Self.number(block, 116, 8)
    else { throw Failure(offset: offset, detail: "bad numeric field") }

    var flag = typeflag
    if flag == 0 { flag = name.last == UInt8(ascii: "/") ? UInt8(ascii: "5") : UInt8(ascii: "0") }
    let header = Header(
      name: name, linkName: link, typeflag: flag,
      mode: UInt32(truncatingIfNeeded: mode) & 0o7777,
      uid: paxUID ?? UInt32(truncatingIfNeeded: uid),
      gid: paxGID ?? UInt32(truncatingIfNeeded: gid), size: paxSize ?? fieldSize,
      isGlobal: false)
    paxName = nil
    paxLink = nil
    paxSize = nil
    paxUID = nil
    paxGID = nil
    longName = nil
    longLink = nil
    return header
  }

  /// Reads PAX records `"<length> <key>=<value>\n"` that matter for the listing.
  private mutating func applyPAX(_ data: [UInt8]) throws(Failure) {
    var index = 0
    while index < data.count {
      guard let space = data[index...].firstIndex(of: UInt8(ascii: " ")),
        let length = Int(String(decoding: data[index..<space], as: UTF8.self)),
        length > space - index + 1, index + length <= data.count,
        data[index + length - 1] == 0x0A,
        let equals = data[(space + 1)..<(index + length)].firstIndex(of: UInt8(ascii: "="))
      else { throw Failure(offset: offset, detail: "malformed PAX record") }
      let key = String(decoding: data[(space + 1)..<equals], as: UTF8.self)
      let value = Array(data[(equals + 1)..<(index + length - 1)])
      let text = String(decoding: value, as: UTF8.self)
      switch key {
      case "path": paxName = value.isEmpty ? nil : value
      case "linkpath": paxLink = value.isEmpty ? nil : value
      case "size": paxSize = value.isEmpty ? nil : Int64(text)
      case "uid": paxUID = value.isEmpty ? nil : UInt32(text)
      case "gid": paxGID = value.isEmpty ? nil : UInt32(text)
      default:
        if key.hasPrefix("GNU.sparse.") {
          throw Failure(offset: offset, detail: "PAX sparse files are not supported")
        }
      }
      index += length
    }
  }

  // MARK: - Fields

  /// The bytes up to the first NUL.
  static func cString(_ field: ArraySlice<UInt8>) -> [UInt8] {
    Array(field.prefix { $0 != 0 })
  }

  /// An octal field, or a base-256 one when the first byte has its top bit set.
  static func number(_ block: ArraySlice<UInt8>, _ start: Int, _ length: Int) -> Int64? {
    let field = block[(block.startIndex + start)..<(block.startIndex + start + length)]
    guard let first = field.first else { return nil }
    if first & 0x80 != 0 {
      var value: Int64 = first & 0x40 != 0 ? -1 : 0
      value = value << 6 | Int64(first & 0x3F)
      for byte in field.dropFirst() {
        guard value >> 55 == 0 || value >> 55 == -1 else { return nil }
        value = value << 8 | Int64(byte)
      }
      return value
    }
    var value: Int64 = 0
    var seenDigit = false
    for byte in field {
      if byte == 0 || byte == 0x20 {
        if seenDigit { break } else { continue }
      }
      guard (48...55).contains(byte), value < Int64.max >> 3 else { return nil }
      value = value << 3 | Int64(byte - 48)
      seenDigit = true
    }
    return value
  }

  /// Whether the checksum field equals the unsigned or signed sum of the block, counting the
  /// checksum field itself as spaces.
  static func checksumMatches(_ block: ArraySlice<UInt8>) -> Bool {
    guard let stored = number(block, 148, 8) else { return false }
    var unsigned: Int64 = 8 * 0x20
    var signed: Int64 = 8 * 0x20
    block.withUnsafeBufferPointer { bytes in
      for offset in 0..<bytes.count where offset < 148 || offset >= 156 {
        unsigned += Int64(bytes[offset])
        signed += Int64(Int8(bitPattern: bytes[offset]))
      }
    }
    return stored == unsigned || stored == signed
  }
}
