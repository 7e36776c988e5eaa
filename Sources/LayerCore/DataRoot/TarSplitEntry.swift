import Glibc

/// One line of `tar-split.json.gz`: a segment of raw tar bytes, or a file entry.
///
/// The lines are written by Go's `json.Encoder` from tar-split's `storage.Entry`, e.g.
/// `{"type":2,"payload":"ZXRjLwAA…","position":0}` for a segment and
/// `{"type":1,"name":"etc/passwd","size":1234,"payload":"uQlWx3WkEAE=","position":3}` for a file.
/// The parser is written for that flat shape (strings, integers, `null`) rather than through
/// `JSONDecoder`, which costs several times more per line on layers of tens of thousands of
/// entries.
struct TarSplitEntry {
  /// `"type"`: 1 for a file, 2 for a segment.
  var type: Int = 0
  /// `"name"` (unescaped), or `"name_raw"` (base64) for names that are not UTF-8.
  var name: [UInt8] = []
  /// `"size"`: the file's data size; absent means 0.
  var size: Int64 = 0
  /// `"payload"`, base64-decoded: the raw tar bytes of a segment, or a file's 8-byte CRC-64.
  var payload: [UInt8] = []
  /// `"position"`: the entry's sequence number.
  var position: Int64 = -1

  static let fileType = 1
  static let segmentType = 2

  /// Why a line could not be parsed, with the byte offset in the line.
  struct Failure: Error {
    var offset: Int
    var detail: String
  }

  /// Parses one line.
  static func parse(_ line: UnsafeBufferPointer<UInt8>) throws(Failure) -> TarSplitEntry {
    var parser = Parser(bytes: line)
    var entry = TarSplitEntry()
    try parser.expect(UInt8(ascii: "{"))
    if try parser.consumeIf(UInt8(ascii: "}")) { return entry }
    repeat {
      let key = try parser.string()
      try parser.expect(UInt8(ascii: ":"))
      switch key {
      case Key.type: entry.type = Int(try parser.integer())
      case Key.size: entry.size = try parser.integer()
      case Key.position: entry.position = try parser.integer()
      case Key.name: entry.name = try parser.string()
      case Key.nameRaw: entry.name = try parser.base64()
      case Key.payload: entry.payload = try parser.base64()
      default: try parser.skipValue()
      }
    } while try parser.consumeIf(UInt8(ascii: ","))
    try parser.expect(UInt8(ascii: "}"))
    return entry
  }

  /// The keys of `storage.Entry`, as bytes.
  private enum Key {
    static let type = Array("type".utf8)
    static let size = Array("size".utf8)
    static let position = Array("position".utf8)
    static let name = Array("name".utf8)
    static let nameRaw = Array("name_raw".utf8)
    static let payload = Array("payload".utf8)
  }

  /// A cursor over one line of JSON.
  private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func skipSpace() {
      while index < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[index]) { index += 1 }
    }

    func failure(_ detail: String) -> Failure { Failure(offset: index, detail: detail) }

    mutating func expect(_ byte: UInt8) throws(Failure) {
      skipSpace()
      guard index < bytes.count, bytes[index] == byte else {
        throw failure("expected '\(Character(Unicode.Scalar(byte)))'")
      }
      index += 1
    }

    mutating func consumeIf(_ byte: UInt8) throws(Failure) -> Bool {
      skipSpace()
      guard index < bytes.count, bytes[index] == byte else { return false }
      index += 1
      return true
    }

    mutating func integer() throws(Failure) -> Int64 {
      skipSpace()
      var negative = false
      if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
        negative = true
        index += 1
      }
      let start = index
      var value: Int64 = 0
      while index < bytes.count, (48...57).contains(bytes[index]) {
        let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[index] - 48))
        guard !overflow1, !overflow2 else { throw failure("number too large") }
        value = sum
        index += 1
      }
      guard index > start else { throw failure("expected a number") }
      return negative ? -value : value
    }

    /// A string with its escapes resolved into UTF-8 bytes.
    mutating func string() throws(Failure) -> [UInt8] {
      try expect(UInt8(ascii: "\""))
      var result: [UInt8] = []
      while index < bytes.count {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\"") { return result }
        if byte != UInt8(ascii: "\\") {
          result.append(byte)
          continue
        }
        guard index < bytes.count else { break }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "b"): result.append(0x08)
        case UInt8(ascii: "f"): result.append(0x0C)
        case UInt8(ascii: "n"): result.append(0x0A)
        case UInt8(ascii: "r"): result.append(0x0D)
        case UInt8(ascii: "t"): result.append(0x09)
        case UInt8(ascii: "u"): try appendEscapedScalar(to: &result)
        default: result.append(escape)
        }
      }
      throw failure("unterminated string")
    }

    /// Reads `XXXX` after `\u` (and a low surrogate after a high one) as UTF-8.
    private mutating func appendEscapedScalar(to result: inout [UInt8]) throws(Failure) {
      var value = try hex4()
      if (0xD800..<0xDC00).contains(value), index + 1 < bytes.count,
        bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
      {
        index += 2
        let low = try hex4()
        guard (0xDC00..<0xE000).contains(low) else { throw failure("bad surrogate pair") }
        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
      }
      let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
      result.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
      guard index + 4 <= bytes.count else { throw failure("short \\u escape") }
      var value: UInt32 = 0
      for _ in 0..<4 {
        let byte = bytes[index]
        let digit: UInt8
        switch byte {
        case 48...57: digit = byte - 48
        case 65...70: digit = byte - 55
        case 97...102: digit = byte - 87
        default: throw failure("bad \\u escape")
        }
        value = value << 4 | UInt32(digit)
        index += 1
      }
      return value
    }

    /// A base64 string decoded, or `null` as empty.
    mutating func base64() throws(Failure) -> [UInt8] {
      skipSpace()
      if bytes[index...].starts(with: Array("null".utf8)) {
        index += 4
        return []
      }
      try expect(UInt8(ascii: "\""))
      let start = index
      guard let base = bytes.baseAddress,
        let quote = memchr(base + start, Int32(UInt8(ascii: "\"")), bytes.count - start)
      else { throw failure("unterminated string") }
      index = base.distance(to: quote.assumingMemoryBound(to: UInt8.self))
      guard let decoded = Base64.decode(UnsafeBufferPointer(rebasing: bytes[start..<index]))
      else { throw Failure(offset: start, detail: "bad base64") }
      index += 1
      return decoded
    }

    /// Skips a value of a key this reader does not use.
    mutating func skipValue() throws(Failure) {
      skipSpace()
      guard index < bytes.count else { throw failure("missing value") }
      switch bytes[index] {
      case UInt8(ascii: "\""): _ = try string()
      case UInt8(ascii: "{"), UInt8(ascii: "["): throw failure("nested value")
      default:
        while index < bytes.count, bytes[index] != UInt8(ascii: ","),
          bytes[index] != UInt8(ascii: "}")
        {
          index += 1
        }
      }
    }
  }
}

/// Standard base64 with padding, as Go's `encoding/json` writes `[]byte`.
enum Base64 {
  private static let values: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 256)
    for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
      .enumerated()
    {
      table[Int(byte)] = UInt8(index)
    }
    return table
  }()

  /// Decodes `text`, or returns nil when it is not valid padded base64.
  static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    let count = text.count
    guard count % 4 == 0 else { return nil }
    guard count > 0 else { return [] }
    var padding = 0
    if text[count - 1] == UInt8(ascii: "=") { padding += 1 }
    if text[count - 2] == UInt8(ascii: "=") { padding += 1 }
    let length = count / 4 * 3 - padding
    var valid = true
    let result = values.withUnsafeBufferPointer { table in
      [UInt8](unsafeUninitializedCapacity: length) { output, initialized in
        var out = 0
        var index = 0
        // Whole groups; the last group may be padded and is done below.
        while index + 4 < count || (index + 4 == count && padding == 0) {
          let a = UInt32(table[Int(text[index])])
          let b = UInt32(table[Int(text[index + 1])])
          let c = UInt32(table[Int(text[index + 2])])
          let d = UInt32(table[Int(text[index + 3])])
          guard (a | b | c | d) & 0x80 == 0 else {
            valid = false
            break
          }
          let word = a << 18 | b << 12 | c << 6 | d
          output[out] = UInt8(truncatingIfNeeded: word >> 16)
          output[out + 1] = UInt8(truncatingIfNeeded: word >> 8)
          output[out + 2] = UInt8(truncatingIfNeeded: word)
          out += 3
          index += 4
        }
        if valid && padding > 0 {
          let a = UInt32(table[Int(text[index])])
          let b = UInt32(table[Int(text[index + 1])])
          let c = padding == 1 ? UInt32(table[Int(text[index + 2])]) : 0
          if (a | b | c) & 0x80 != 0 {
            valid = false
          } else {
            let word = a << 18 | b << 12 | c << 6
            output[out] = UInt8(truncatingIfNeeded: word >> 16)
            if padding == 1 { output[out + 1] = UInt8(truncatingIfNeeded: word >> 8) }
            out += 3 - padding
          }
        }
        initialized = valid ? out : 0
      }
    }
    return valid ? result : nil
  }
}
