internal import CArchive
import Glibc

/// Streams the lines of a gzip file through libarchive (the `raw` format with the gzip filter).
///
/// tar-split keeps one JSON object per line, gzip-compressed as one stream; reading it this way
/// never holds more than one buffer and one line in memory.
struct GzipLineReader {
  /// Why the stream could not be read: libarchive's message.
  struct Failure: Error {
    var message: String
  }

  /// Calls `body` with each line (without its newline) of the gzip file open at `descriptor`.
  ///
  /// The descriptor stays open; the caller closes it. Wraps `archive_read_open_fd`.
  static func forEachLine(
    descriptor: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
  ) throws {
    guard let handle = archive_read_new() else { throw Failure(message: "out of memory") }
    defer { archive_read_free(handle) }
    archive_read_support_filter_gzip(handle)
    archive_read_support_format_raw(handle)
    guard archive_read_open_fd(handle, descriptor, 1 << 16) == ARCHIVE_OK else {
      throw Failure(message: message(handle))
    }
    var entry: OpaquePointer?
    let status = archive_read_next_header(handle, &entry)
    if status == ARCHIVE_EOF { return }
    guard status >= ARCHIVE_WARN else { throw Failure(message: message(handle)) }
    guard archive_filter_code(handle, 0) == ARCHIVE_FILTER_GZIP else {
      throw Failure(message: "not gzip-compressed")
    }

    var pending: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes {
        archive_read_data(handle, $0.baseAddress, $0.count)
      }
      if count < 0 { throw Failure(message: message(handle)) }
      if count == 0 { break }
      try chunk.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        var start = 0
        while start < count, let found = memchr(base + start, 0x0A, count - start) {
          let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
          if pending.isEmpty {
            try body(UnsafeBufferPointer(rebasing: buffer[start..<index]))
          } else {
            pending.append(contentsOf: buffer[start..<index])
            try pending.withUnsafeBufferPointer { try body($0) }
            pending.removeAll(keepingCapacity: true)
          }
          start = index + 1
        }
        pending.append(contentsOf: buffer[start..<count])
      }
    }
    if !pending.isEmpty { try pending.withUnsafeBufferPointer { try body($0) } }
  }

  private static func message(_ handle: OpaquePointer) -> String {
    guard let text = archive_error_string(handle) else { return "unknown libarchive error" }
    return String(cString: text)
  }
}
