internal import CArchive
import Foundation

/// One tar (plain, gzip, zstd, xz or bzip2) read through libarchive from a ``FileRange``, with
/// file data skipped by seeking where the tar is not compressed; or a tar inside another tar's
/// member, read as the outer stream goes (for compressed outer archives).
///
/// This file and ``ArchiveIndex`` are the only users of libarchive's read API for tars.
final class TarStream {
  /// One header, as libarchive parsed it.
  struct Header {
    var rawPath: UnsafePointer<CChar>?
    var kind: EntryKind
    var mode: UInt32
    var uid: UInt32
    var gid: UInt32
    var size: Int64
    var symlink: UnsafePointer<CChar>?
    var hardlink: UnsafePointer<CChar>?
    /// Offset of the entry's first header block (PAX and GNU prefixes included).
    var headerOffset: Int64
  }

  fileprivate let handle: OpaquePointer
  private let client: RangeClient
  private let nested: NestedClient?
  private var entry: OpaquePointer?
  let name: String

  /// Opens `range` as a tar. `name` is used in error messages.
  init(range: FileRange, name: String) throws(ImageSourceError) {
    guard let handle = archive_read_new() else {
      throw .unsupported("libarchive could not allocate a reader")
    }
    self.handle = handle
    self.name = name
    nested = nil
    do {
      client = try RangeClient(range: range)
    } catch {
      archive_read_free(handle)
      throw error
    }
    Self.enableFormats(handle)
    let context = Unmanaged.passUnretained(client).toOpaque()
    archive_read_set_seek_callback(handle, rangeSeek)
    let status = archive_read_open2(handle, context, nil, rangeRead, rangeSkip, nil)
    guard status == ARCHIVE_OK else {
      // deinit frees the handle: every stored property is set by now.
      throw .corrupt(file: name, detail: Self.message(handle))
    }
  }

  /// Opens the data of `outer`'s current member as a tar. Every byte is read in order (there
  /// is nothing to seek in), so with `digest` the member is checked by ``verifyDigest()``;
  /// with only `plainDigest`, it is checked if it turns out to be an uncompressed tar.
  init(
    member outer: TarStream, name: String, digest: String?, plainDigest: String? = nil
  ) throws(ImageSourceError) {
    guard let handle = archive_read_new() else {
      throw .unsupported("libarchive could not allocate a reader")
    }
    self.handle = handle
    self.name = name
    client = RangeClient()
    let reader = NestedClient(outer: outer.handle)
    if let expected = digest ?? plainDigest, expected.hasPrefix("sha256:") {
      reader.hasher = SHA256Hasher()
      reader.expected = digest
      reader.plainExpected = digest == nil ? plainDigest : nil
    }
    nested = reader
    Self.enableFormats(handle)
    let context = Unmanaged.passUnretained(reader).toOpaque()
    let status = archive_read_open2(handle, context, nil, nestedRead, nil, nil)
    guard status == ARCHIVE_OK else {
      throw .corrupt(file: name, detail: reader.failure ?? Self.message(handle))
    }
  }

  private static func enableFormats(_ handle: OpaquePointer) {
    archive_read_support_filter_all(handle)
    archive_read_support_format_tar(handle)
    archive_read_support_format_gnutar(handle)
    archive_read_support_format_empty(handle)
  }

  /// Starts hashing the stored bytes as they are read, to check them against `digest` at the
  /// end with ``verifyDigest()``. Only compressed tars are read through in full, so only they
  /// can be checked without extra reading; for them a flipped byte may otherwise go unseen,
  /// since the gzip trailer lies past the end of the tar and is never read.
  func hashStoredBytes(expecting digest: String) {
    guard !isUncompressed, digest.hasPrefix("sha256:") else { return }
    client.expected = digest
    client.hasher = SHA256Hasher()
    client.hashedUpTo = 0
    // Opening already read the head of the stream to detect its compression.
    hashFile(upTo: client.position)
  }

  /// Hashes the stored bytes from where hashing stopped up to `end`, straight from the file.
  @discardableResult
  private func hashFile(upTo end: Int64) -> Bool {
    guard let hasher = client.hasher, let file = client.file else { return false }
    var offset = client.hashedUpTo
    while offset < end {
      let want = Int(min(Int64(client.buffer.count), end - offset))
      let target = UnsafeMutableRawBufferPointer(rebasing: client.scratch[0..<want])
      let count = file.read(into: target, at: client.range.offset + offset)
      guard count > 0 else { return false }
      hasher.update(UnsafeRawBufferPointer(rebasing: client.scratch[0..<count]))
      offset += Int64(count)
    }
    client.hashedUpTo = offset
    return true
  }

  /// Reads the rest of the range into the hash and compares it with the expected digest.
  func verifyDigest() throws(ImageSourceError) {
    if let nested {
      try nested.drain(name: name, isUncompressed: isUncompressed)
      return
    }
    guard let hasher = client.hasher, let expected = client.expected else { return }
    guard client.hashedUpTo == client.position else { return }
    guard hashFile(upTo: client.range.length) else {
      throw .corrupt(file: name, detail: "read error")
    }
    try Self.compare(hasher, with: expected, name: name)
  }

  /// Hashes the whole stored tar straight from the file and compares it with `digest`: the
  /// check of an uncompressed tar, whose file data the scan seeks over instead of reading.
  /// Does nothing for a compressed tar (``hashStoredBytes(expecting:)`` checks those) or a
  /// nested one.
  func verifyUncompressed(against digest: String) throws(ImageSourceError) {
    guard nested == nil, isUncompressed, digest.hasPrefix("sha256:") else { return }
    let hasher = SHA256Hasher()
    client.hasher = hasher
    client.hashedUpTo = 0
    guard hashFile(upTo: client.range.length) else {
      throw .corrupt(file: name, detail: "read error")
    }
    try Self.compare(hasher, with: digest, name: name)
  }

  fileprivate static func compare(
    _ hasher: SHA256Hasher, with expected: String, name: String
  ) throws(ImageSourceError) {
    let actual = "sha256:" + Digest.hexString(hasher.finish())
    guard actual == expected else {
      throw .digestMismatch(file: name, expected: expected, actual: actual)
    }
  }

  deinit { archive_read_free(handle) }

  private static func message(_ handle: OpaquePointer) -> String {
    guard let text = archive_error_string(handle) else { return "unreadable tar" }
    return String(cString: text).lowercased()
  }

  /// Whether libarchive found no compression filter: the tar's offsets are file offsets.
  var isUncompressed: Bool { archive_filter_code(handle, 0) == ARCHIVE_FILTER_NONE }

  /// Moves to the next header, skipping the data of the current one; nil at the end.
  func next() throws(ImageSourceError) -> Header? {
    let status = archive_read_next_header(handle, &entry)
    if status == ARCHIVE_EOF { return nil }
    guard status >= ARCHIVE_WARN, let entry else {
      throw .corrupt(file: name, detail: nested?.failure ?? Self.message(handle))
    }
    let hardlink = archive_entry_hardlink(entry)
    let kind: EntryKind
    if hardlink != nil {
      kind = .hardlink
    } else {
      switch archive_entry_filetype(entry) & 0o170000 {
      case 0o040000: kind = .directory
      case 0o120000: kind = .symlink
      case 0o020000: kind = .characterDevice
      case 0o060000: kind = .blockDevice
      case 0o010000: kind = .fifo
      default: kind = .regular
      }
    }
    return Header(
      rawPath: archive_entry_pathname(entry), kind: kind,
      mode: UInt32(archive_entry_perm(entry)) & 0o7777,
      uid: UInt32(truncatingIfNeeded: archive_entry_uid(entry)),
      gid: UInt32(truncatingIfNeeded: archive_entry_gid(entry)),
      size: archive_entry_size(entry), symlink: archive_entry_symlink(entry),
      hardlink: hardlink, headerOffset: archive_read_header_position(handle))
  }

  /// Feeds the current entry's data to `body`, block by block.
  func readData(_ body: (UnsafeRawBufferPointer) -> Void) throws(ImageSourceError) {
    var block: UnsafeRawPointer?
    var size = 0
    var offset: la_int64_t = 0
    while true {
      let status = archive_read_data_block(handle, &block, &size, &offset)
      if status == ARCHIVE_EOF { return }
      guard status >= ARCHIVE_WARN else {
        throw .corrupt(file: name, detail: nested?.failure ?? Self.message(handle))
      }
      body(UnsafeRawBufferPointer(start: block, count: size))
    }
  }
}

/// The state behind libarchive's callbacks: a file, a range in it, and a read buffer.
private final class RangeClient {
  /// The file read; nil for a client of a nested stream, which reads nothing itself.
  let file: ReadOnlyFile?
  let range: FileRange
  var position: Int64 = 0
  var buffer: UnsafeMutableRawBufferPointer
  /// A second buffer for hashing bytes libarchive did not ask for (the head and the tail).
  lazy var scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 << 10, alignment: 16)
  /// When set, every byte read in order is hashed; a skip or seek stops the check.
  var hasher: SHA256Hasher?
  var expected: String?
  var hashedUpTo: Int64 = -1

  init(range: FileRange) throws(ImageSourceError) {
    file = try ReadOnlyFile(path: range.path)
    self.range = range
    buffer = .allocate(byteCount: 128 << 10, alignment: 16)
  }

  /// A client with nothing to read, for streams whose bytes come from elsewhere.
  init() {
    file = nil
    range = FileRange(path: "", length: 0)
    buffer = .allocate(byteCount: 0, alignment: 16)
  }

  deinit {
    buffer.deallocate()
    if hasher != nil { scratch.deallocate() }
  }
}

private func rangeRead(
  _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?,
  _ out: UnsafeMutablePointer<UnsafeRawPointer?>?
) -> la_ssize_t {
  guard let context else { return -1 }
  let client = Unmanaged<RangeClient>.fromOpaque(context).takeUnretainedValue()
  guard let file = client.file else { return -1 }
  let remaining = client.range.length - client.position
  if remaining <= 0 { return 0 }
  let want = Int(min(Int64(client.buffer.count), remaining))
  let target = UnsafeMutableRawBufferPointer(rebasing: client.buffer[0..<want])
  let count = file.read(into: target, at: client.range.offset + client.position)
  if count < 0 {
    return -1
  }
  if let hasher = client.hasher, client.hashedUpTo == client.position {
    hasher.update(UnsafeRawBufferPointer(rebasing: client.buffer[0..<count]))
    client.hashedUpTo += Int64(count)
  }
  client.position += Int64(count)
  out?.pointee = UnsafeRawPointer(client.buffer.baseAddress)
  return count
}

private func rangeSkip(
  _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ request: la_int64_t
) -> la_int64_t {
  guard let context else { return 0 }
  let client = Unmanaged<RangeClient>.fromOpaque(context).takeUnretainedValue()
  let skipped = max(0, min(request, client.range.length - client.position))
  client.position += skipped
  return skipped
}

private func rangeSeek(
  _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ offset: la_int64_t,
  _ whence: Int32
) -> la_int64_t {
  guard let context else { return -1 }
  let client = Unmanaged<RangeClient>.fromOpaque(context).takeUnretainedValue()
  let base: Int64
  switch whence {
  case SEEK_SET: base = 0
  case SEEK_CUR: base = client.position
  case SEEK_END: base = client.range.length
  default: return -1
  }
  let target = base + offset
  guard target >= 0, target <= client.range.length else { return -1 }
  client.position = target
  return target
}

/// The state behind a tar read from the current member of an outer archive.
private final class NestedClient {
  let outer: OpaquePointer
  let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 << 10, alignment: 16)
  var hasher: SHA256Hasher?
  var expected: String?
  /// The digest to check against only if the member is an uncompressed tar.
  var plainExpected: String?
  /// The outer archive's error, when reading it failed.
  var failure: String?

  init(outer: OpaquePointer) { self.outer = outer }

  deinit { buffer.deallocate() }

  /// Reads the next block of the outer member into ``buffer``; 0 at its end, -1 on error.
  func read() -> Int {
    let count = archive_read_data(outer, buffer.baseAddress, buffer.count)
    if count < 0 {
      failure =
        archive_error_string(outer).map { String(cString: $0).lowercased() }
        ?? "unreadable archive"
      return -1
    }
    if count > 0, let hasher {
      hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
    return count
  }

  /// Reads what the tar left of the member and compares the digest.
  func drain(name: String, isUncompressed: Bool) throws(ImageSourceError) {
    guard let hasher, let expected = expected ?? (isUncompressed ? plainExpected : nil) else {
      return
    }
    while true {
      let count = read()
      if count == 0 { break }
      if count < 0 { throw .corrupt(file: name, detail: failure ?? "unreadable archive") }
    }
    try TarStream.compare(hasher, with: expected, name: name)
  }
}

private func nestedRead(
  _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?,
  _ out: UnsafeMutablePointer<UnsafeRawPointer?>?
) -> la_ssize_t {
  guard let context else { return -1 }
  let client = Unmanaged<NestedClient>.fromOpaque(context).takeUnretainedValue()
  let count = client.read()
  out?.pointee = UnsafeRawPointer(client.buffer.baseAddress)
  return count
}
