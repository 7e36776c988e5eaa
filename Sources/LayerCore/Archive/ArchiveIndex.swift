import Foundation

/// The members of an outer image archive (`docker save`, docker-archive, oci-archive), found
/// in one pass over its headers, so each member can then be read straight from its byte range.
///
/// Members come in any order (blobs before `manifest.json` is normal), which is why the archive
/// is indexed first and read second. Nothing is extracted to disk.
final class ArchiveIndex: Sendable {
  struct Member: Sendable {
    var range: FileRange
    /// For a symlink or hard link member: the member it points to, as a clean archive path.
    var linkTarget: String?
    var isDirectory: Bool
  }

  let path: String
  private let members: [String: Member]

  init(path: String) throws(ImageSourceError) {
    self.path = path
    let whole = try FileRange.wholeFile(path)
    let stream = try TarStream(range: whole, name: path)
    var found: [String: Member] = [:]
    let file = try ReadOnlyFile(path: path)
    while let header = try stream.next() {
      guard stream.isUncompressed else {
        throw .unsupported("'\(path)' is compressed: open it as a StreamedArchive")
      }
      guard let raw = header.rawPath else { continue }
      let name = Self.clean(raw)
      guard !name.isEmpty else { continue }
      let dataOffset = try Self.dataOffset(file: file, headerOffset: header.headerOffset)
      var link: String?
      if let target = header.symlink {
        link = Self.resolve(link: String(cString: target), from: name)
      } else if let target = header.hardlink {
        link = Self.clean(String(cString: target))
      }
      let length = header.kind == .regular ? header.size : 0
      found[name] = Member(
        range: FileRange(path: path, offset: dataOffset, length: length), linkTarget: link,
        isDirectory: header.kind == .directory)
    }
    members = found
  }

  /// The names of every member.
  var names: Dictionary<String, Member>.Keys { members.keys }

  /// The member called `name`, following symbolic and hard links (as docker-archive's
  /// `<v1id>/layer.tar -> ../<hex>.tar` needs), or nil when the archive has none.
  func member(_ name: String) -> Member? {
    var current = Self.clean(name)
    for _ in 0..<8 {
      guard let member = members[current] else { return nil }
      guard let next = member.linkTarget else { return member }
      current = next
    }
    return nil
  }

  private static func clean(_ raw: UnsafePointer<CChar>) -> String {
    clean(String(cString: raw))
  }

  /// The member a symlink member `name` points to, as a clean archive path.
  static func resolve(link target: String, from name: String) -> String {
    let directory = (name as NSString).deletingLastPathComponent
    return clean(directory.isEmpty ? target : directory + "/" + target)
  }

  static func clean(_ name: String) -> String {
    let bytes = (try? PathCleaner.clean(Array(name.utf8))) ?? []
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Finds where a member's data starts: after its PAX (`x`, `g`) and GNU long-name (`L`, `K`)
  /// header blocks and its own header block. libarchive reports where the headers start only.
  private static func dataOffset(
    file: ReadOnlyFile, headerOffset: Int64
  ) throws(ImageSourceError) -> Int64 {
    var offset = headerOffset
    var block = [UInt8](repeating: 0, count: 512)
    for _ in 0..<64 {
      let count = block.withUnsafeMutableBytes { file.read(into: $0, at: offset) }
      guard count == 512 else {
        throw .corrupt(file: file.path, detail: "archive ends inside a header")
      }
      let type = block[156]
      guard
        [UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K")]
          .contains(type)
      else { return offset + 512 }
      let size = TarNumber.parse(block[124..<136]) ?? 0
      offset += 512 + (size + 511) / 512 * 512
    }
    throw .corrupt(file: file.path, detail: "too many extension headers at offset \(headerOffset)")
  }
}

/// Numeric fields of tar headers: octal text, or base-256 when the first byte has bit 0x80.
enum TarNumber {
  static func parse(_ field: ArraySlice<UInt8>) -> Int64? {
    guard let first = field.first else { return nil }
    if first & 0x80 != 0 {
      var value: Int64 = Int64(first & 0x7f)
      for byte in field.dropFirst() { value = value << 8 | Int64(byte) }
      return value
    }
    var value: Int64 = 0
    var seen = false
    for byte in field {
      if byte == 0 || (byte == 32 && seen) { break }
      if byte == 32 { continue }
      guard (48...55).contains(byte) else { return nil }
      value = value * 8 + Int64(byte - 48)
      seen = true
    }
    return value
  }
}
