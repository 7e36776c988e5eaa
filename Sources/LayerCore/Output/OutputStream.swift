import Foundation

/// A buffered byte sink on a file descriptor: stdout or a file the user named.
public final class ByteSink {
  private let descriptor: Int32
  private let ownsDescriptor: Bool
  private var buffer: [UInt8] = []
  /// Set when a write failed; later writes are dropped.
  public private(set) var failure: String?

  /// Writes to standard output.
  public static func standardOutput() -> ByteSink { ByteSink(descriptor: 1, owns: false) }

  /// Creates (or truncates) `path` for writing.
  public static func file(_ path: String) throws(ImageSourceError) -> ByteSink {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    return ByteSink(descriptor: fd, owns: true)
  }

  private init(descriptor: Int32, owns: Bool) {
    self.descriptor = descriptor
    ownsDescriptor = owns
    buffer.reserveCapacity(1 << 16)
  }

  deinit {
    flush()
    if ownsDescriptor { close(descriptor) }
  }

  public func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 16 { flush() }
  }

  public func write(bytes: some Sequence<UInt8>) {
    buffer.append(contentsOf: bytes)
    if buffer.count >= 1 << 16 { flush() }
  }

  /// Writes `bytes` as a JSON string literal. Invalid UTF-8 becomes U+FFFD.
  public func writeJSONString(bytes: some Collection<UInt8>) {
    let isASCII = bytes.allSatisfy { $0 < 0x80 }
    if !isASCII && String(validating: bytes, as: UTF8.self) == nil {
      write(JSONText.string(String(decoding: bytes, as: UTF8.self)))
      return
    }
    let hex = Array("0123456789abcdef".utf8)
    buffer.append(UInt8(ascii: "\""))
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"):
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(byte)
      case 0..<0x20:
        buffer.append(contentsOf: Array("\\u00".utf8))
        buffer.append(hex[Int(byte >> 4)])
        buffer.append(hex[Int(byte & 15)])
      default:
        buffer.append(byte)
      }
    }
    buffer.append(UInt8(ascii: "\""))
    if buffer.count >= 1 << 16 { flush() }
  }

  public func flush() {
    guard !buffer.isEmpty else { return }
    defer { buffer.removeAll(keepingCapacity: true) }
    guard failure == nil else { return }
    var offset = 0
    buffer.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return }
      while offset < raw.count {
        let count = Foundation.write(descriptor, base + offset, raw.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          failure = String(cString: strerror(errno))
          return
        }
        offset += count
      }
    }
  }
}
