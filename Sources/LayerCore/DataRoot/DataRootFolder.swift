import Glibc

/// A folder inside the data root, opened read-only, through which every read goes.
///
/// Paths below the folder are opened one component at a time with `O_NOFOLLOW`, so no symlink
/// is ever followed out of (or within) the data root; `..` is refused. Files are opened with
/// `O_NOATIME` when the kernel allows it (root, or the file's owner), so reading leaves access
/// times alone. Nothing is ever opened for writing.
public final class DataRootFolder: Sendable {
  /// The open folder; closed when the value goes away.
  let descriptor: Int32
  /// The folder's path, for messages.
  public let path: String

  /// Linux `O_PATH`: a handle for walking, without reading (so no atime update either).
  static let pathOnly: Int32 = 0o10_000_000
  /// Linux `O_NOATIME`.
  static let noAccessTime: Int32 = 0o1_000_000

  private init(descriptor: Int32, path: String) {
    self.descriptor = descriptor
    self.path = path
  }

  deinit { close(descriptor) }

  /// Opens the folder the user named. Symlinks in this path itself are followed: the user chose
  /// it; nothing below it is.
  public static func open(path: String) throws(DataRootError) -> DataRootFolder {
    var flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | noAccessTime
    while true {
      let fd = Glibc.open(path, flags)
      if fd >= 0 { return DataRootFolder(descriptor: fd, path: path) }
      let code = errno
      if code == EINTR { continue }
      if code == EPERM && flags & noAccessTime != 0 {
        flags &= ~noAccessTime
        continue
      }
      if code == ENOENT || code == ENOTDIR { throw .notFound(path: path) }
      throw error(code, path: path)
    }
  }

  /// Opens a folder below this one.
  public func folder(_ relative: String) throws(DataRootError) -> DataRootFolder {
    try folder(bytes: Array(relative.utf8))
  }

  /// Opens a folder below this one, named by raw bytes.
  func folder(bytes relative: [UInt8]) throws(DataRootError) -> DataRootFolder {
    let fd = try openBelow(relative, flags: O_RDONLY | O_DIRECTORY)
    return DataRootFolder(descriptor: fd, path: display(relative))
  }

  /// Whether a folder exists below this one (not following symlinks).
  public func hasFolder(_ relative: String) -> Bool {
    guard let info = try? status(bytes: Array(relative.utf8)) else { return false }
    return info.st_mode & S_IFMT == S_IFDIR
  }

  /// Whether anything exists at `relative` (not following symlinks).
  public func contains(_ relative: String) -> Bool {
    (try? status(bytes: Array(relative.utf8))) != nil
  }

  /// Whether anything exists at `relative` (not following symlinks); unlike ``contains(_:)``,
  /// a folder on the way that cannot be searched is an error, not an absence.
  ///
  /// - Throws: ``DataRootError/permissionDenied(path:)`` when the kernel refuses the lookup,
  ///   ``DataRootError/unsafePath(path:)`` when a component is a symlink.
  func exists(_ relative: String) throws(DataRootError) -> Bool {
    do {
      _ = try status(bytes: Array(relative.utf8))
      return true
    } catch .vanished {
      return false
    }
  }

  /// `lstat` of an entry below this folder.
  func status(bytes relative: [UInt8]) throws(DataRootError) -> stat {
    let (parent, name) = try openParent(of: relative)
    defer { if parent != descriptor { close(parent) } }
    var info = stat()
    let result = Self.withCName(name) { fstatat(parent, $0, &info, AT_SYMLINK_NOFOLLOW) }
    guard result == 0 else { throw Self.error(errno, path: display(relative)) }
    return info
  }

  /// Opens a file below this folder for reading; the caller closes the descriptor.
  func openFile(bytes relative: [UInt8]) throws(DataRootError) -> Int32 {
    try openBelow(relative, flags: O_RDONLY)
  }

  /// Reads a whole small file, refusing files larger than `limit` bytes.
  public func read(_ relative: String, limit: Int = 16 << 20) throws(DataRootError) -> [UInt8] {
    let bytes = Array(relative.utf8)
    let fd = try openFile(bytes: bytes)
    defer { close(fd) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw Self.error(errno, path: display(bytes))
      }
      if count == 0 { return result }
      result.append(contentsOf: chunk[..<count])
      if result.count > limit {
        throw .malformed(path: display(bytes), detail: "larger than \(limit) bytes")
      }
    }
  }

  /// Reads a small text file with surrounding whitespace trimmed (Docker writes no newline),
  /// or nil when it does not exist.
  public func text(_ relative: String) throws(DataRootError) -> String? {
    let bytes: [UInt8]
    do {
      bytes = try read(relative, limit: 1 << 20)
    } catch .vanished {
      return nil
    }
    let text = String(decoding: bytes, as: UTF8.self)
    return Self.trimmed(text)
  }

  /// The names in this folder, `.` and `..` left out, in no particular order.
  public func names() throws(DataRootError) -> [[UInt8]] {
    let copy = dup(descriptor)
    guard copy >= 0, let stream = fdopendir(copy) else {
      let code = errno
      if copy >= 0 { close(copy) }
      throw Self.error(code, path: path)
    }
    defer { closedir(stream) }
    rewinddir(stream)
    return Self.readNames(stream)
  }

  /// Reads every name of an open folder stream.
  static func readNames(_ stream: OpaquePointer) -> [[UInt8]] {
    var result: [[UInt8]] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw -> [UInt8] in
        let length = raw.firstIndex(of: 0) ?? raw.count
        return Array(raw[..<length])
      }
      if name == [46] || name == [46, 46] { continue }
      result.append(name)
    }
    return result
  }

  /// The path of an entry below this folder, for messages.
  func display(_ relative: [UInt8]) -> String {
    path + "/" + String(decoding: relative, as: UTF8.self)
  }

  /// `text` without leading and trailing spaces, tabs and newlines.
  static func trimmed(_ text: String) -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
    guard let start = text.firstIndex(where: { !isSpace($0) }),
      let end = text.lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(text[start...end])
  }

  // MARK: - Walking components

  /// Opens every folder on the way to the last component and returns it with that name.
  private func openParent(of relative: [UInt8]) throws(DataRootError) -> (Int32, [UInt8]) {
    let parts = relative.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
    guard let last = parts.last else { throw .unsafePath(path: display(relative)) }
    var current = descriptor
    for part in parts.dropLast() {
      let next = try Self.openAt(
        current, Array(part), flags: O_DIRECTORY | Self.pathOnly,
        display: display(relative))
      if current != descriptor { close(current) }
      current = next
    }
    guard last.elementsEqual([46]) == false, last.elementsEqual([46, 46]) == false else {
      if current != descriptor { close(current) }
      throw .unsafePath(path: display(relative))
    }
    return (current, Array(last))
  }

  private func openBelow(_ relative: [UInt8], flags: Int32) throws(DataRootError) -> Int32 {
    let (parent, name) = try openParent(of: relative)
    defer { if parent != descriptor { close(parent) } }
    return try Self.openAt(
      parent, name, flags: flags | Self.noAccessTime,
      display: display(relative))
  }

  /// `openat` with `O_NOFOLLOW | O_CLOEXEC`, dropping `O_NOATIME` when the kernel refuses it.
  static func openAt(
    _ parent: Int32, _ name: [UInt8], flags: Int32, display: String
  ) throws(DataRootError) -> Int32 {
    if name.isEmpty || name == [46, 46] || name == [46] { throw .unsafePath(path: display) }
    var flags = flags | O_NOFOLLOW | O_CLOEXEC
    while true {
      let fd = withCName(name) { Glibc.openat(parent, $0, flags) }
      if fd >= 0 { return fd }
      let code = errno
      if code == EINTR { continue }
      if code == EPERM && flags & noAccessTime != 0 {
        flags &= ~noAccessTime
        continue
      }
      throw error(code, path: display)
    }
  }

  /// Calls `body` with `name` as a NUL-terminated C string.
  static func withCName<T>(_ name: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
    let terminated = name.map { CChar(bitPattern: $0) } + [0]
    return terminated.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { preconditionFailure("never empty") }
      return body(base)
    }
  }

  /// Maps an `errno` to the error a user can act on.
  static func error(_ code: Int32, path: String) -> DataRootError {
    switch code {
    case ENOENT: .vanished(path: path)
    case EACCES, EPERM: .permissionDenied(path: path)
    case ELOOP, ENOTDIR: .unsafePath(path: path)
    default: .unreadable(path: path, reason: String(cString: strerror(code)))
    }
  }
}
