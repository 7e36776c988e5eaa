import Foundation

/// A read-only byte range of a file: a whole blob, or one member of an uncompressed archive.
public struct FileRange: Sendable, Equatable {
  public var path: String
  public var offset: Int64
  public var length: Int64

  public init(path: String, offset: Int64 = 0, length: Int64) {
    self.path = path
    self.offset = offset
    self.length = length
  }

  /// The whole file at `path`.
  public static func wholeFile(_ path: String) throws(ImageSourceError) -> FileRange {
    var info = stat()
    guard stat(path, &info) == 0 else { throw ReadOnlyFile.openError(path: path) }
    return FileRange(path: path, length: Int64(info.st_size))
  }

  /// Reads the whole range into memory; meant for small JSON members.
  public func readAll(limit: Int64 = 64 << 20) throws(ImageSourceError) -> Data {
    guard length <= limit else {
      throw .corrupt(file: path, detail: "a \(length)-byte metadata file is too large")
    }
    let file = try ReadOnlyFile(path: path)
    var data = Data(count: Int(length))
    let count = data.withUnsafeMutableBytes { buffer in
      file.read(into: buffer, at: offset)
    }
    guard count == Int(length) else {
      throw .corrupt(file: path, detail: "ended after \(max(count, 0)) of \(length) bytes")
    }
    return data
  }
}

/// A file descriptor opened read-only (with O_NOATIME where allowed), closed on deinit.
final class ReadOnlyFile: @unchecked Sendable {
  let descriptor: Int32
  let path: String

  init(path: String) throws(ImageSourceError) {
    self.path = path
    var fd = open(path, O_RDONLY | O_CLOEXEC | Self.noAccessTime)
    if fd < 0 && errno == EPERM { fd = open(path, O_RDONLY | O_CLOEXEC) }
    guard fd >= 0 else { throw Self.openError(path: path) }
    descriptor = fd
  }

  /// Linux's O_NOATIME, which Glibc's module map leaves out: reading changes no access time.
  private static let noAccessTime: Int32 = 0o1_000_000

  deinit { close(descriptor) }

  /// Reads up to `buffer.count` bytes at `offset`, retrying short reads; -1 on error.
  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
    var done = 0
    while done < buffer.count {
      let result = pread(
        descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done,
        off_t(offset) + off_t(done))
      if result < 0 {
        if errno == EINTR { continue }
        return -1
      }
      if result == 0 { break }
      done += result
    }
    return done
  }

  static func openError(path: String) -> ImageSourceError {
    switch errno {
    case EACCES, EPERM: .permissionDenied(path: path)
    case ENOENT: .cannotOpen(path: path, reason: "no such file or directory")
    default: .cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
  }
}
