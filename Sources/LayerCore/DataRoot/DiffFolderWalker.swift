import Glibc

/// Reads a layer from its overlay2 `diff/` folder: the fallback when tar-split is missing or
/// corrupt, and the only source for a container's init and read-write layers.
///
/// The walk visits names in byte order, parents before children, as Docker's tar writer does, so
/// the scan lists entries in the order the layer's tar would. What overlayfs marks differently
/// from a tar is translated back:
/// - a character device 0/0 is a whiteout of its path (`.wh.<name>` in a tar);
/// - a folder with `trusted.overlay.opaque` (or, rootless, `user.overlay.opaque`) set to `y` is
///   an opaque folder (`.wh..wh..opq` in a tar);
/// - a second name of a regular file with several links becomes a hard link to the first;
/// - `.wh.` files kept on disk (fuse-overlayfs) are whiteouts already.
// FIXME: container upper folders on kernels with `metacopy` or `redirect_dir` on hold files
// whose data (`trusted.overlay.metacopy`) or origin (`trusted.overlay.redirect`) is in a lower
// layer; they are read as they are on disk, so a renamed folder shows as removed and added.
struct DiffFolderWalker {
  /// The layer's `diff` folder.
  let folder: DataRootFolder
  /// For a daemon that ran in a user namespace (userns-remap, rootless), how the owners on disk
  /// map back to the container's.
  var owners: OwnerMapping?

  static let opaqueAttributes = ["trusted.overlay.opaque", "user.overlay.opaque"]

  /// Walks the whole folder.
  func scan() throws(DataRootError) -> LayerScan {
    var scan = LayerScan()
    var firstNames: [FileIdentity: [UInt8]] = [:]
    let top = dup(folder.descriptor)
    guard top >= 0 else { throw DataRootFolder.error(errno, path: folder.path) }
    try walk(descriptor: top, prefix: [], scan: &scan, firstNames: &firstNames)
    return scan
  }

  /// The CRC-64 of each named regular file's content, read from the folder.
  ///
  /// The same checksum as tar-split's, so a file here compares with a file in an image layer.
  func fingerprints(of paths: Set<[UInt8]>) throws(DataRootError) -> [[UInt8]: [UInt8]] {
    var result: [[UInt8]: [UInt8]] = [:]
    for path in paths {
      let descriptor: Int32
      do {
        descriptor = try folder.openFile(bytes: path)
      } catch .vanished {
        continue
      }
      defer { close(descriptor) }
      var info = stat()
      guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
      var crc = CRC64()
      var chunk = [UInt8](repeating: 0, count: 1 << 16)
      while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count >= 0 else { throw DataRootFolder.error(errno, path: folder.display(path)) }
        if count == 0 { break }
        chunk.withUnsafeBytes { crc.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
      }
      result[path] = crc.bigEndianBytes
    }
    return result
  }

  /// Device and inode: what makes two names one file.
  private struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
  }

  /// Lists one open folder (taking ownership of `descriptor`) and recurses into subfolders.
  private func walk(
    descriptor: Int32, prefix: [UInt8], scan: inout LayerScan,
    firstNames: inout [FileIdentity: [UInt8]]
  ) throws(DataRootError) {
    guard let stream = fdopendir(descriptor) else {
      let code = errno
      close(descriptor)
      throw DataRootFolder.error(code, path: folder.display(prefix))
    }
    defer { closedir(stream) }
    let names = DataRootFolder.readNames(stream).sorted { $0.lexicographicallyPrecedes($1) }
    for name in names {
      let path = prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name
      var info = stat()
      let result = DataRootFolder.withCName(name) {
        fstatat(descriptor, $0, &info, AT_SYMLINK_NOFOLLOW)
      }
      if result != 0 {
        // A name gone between listing and stat: a container still running changed it.
        if errno == ENOENT { continue }
        throw DataRootFolder.error(errno, path: folder.display(path))
      }
      let type = info.st_mode & S_IFMT
      if type == S_IFCHR && info.st_rdev == 0 {
        scan.entryCount += 1
        scan.append(path: path, kind: .whiteout, mode: 0, uid: 0, gid: 0, size: 0, link: [])
        continue
      }
      guard let outcome = try? PathCleaner.classify(path) else {
        throw .unsafePath(path: folder.display(path))
      }
      scan.entryCount += 1
      switch outcome {
      case .whiteout(let target):
        scan.append(path: target, kind: .whiteout, mode: 0, uid: 0, gid: 0, size: 0, link: [])
        continue
      case .opaque(let target):
        scan.append(path: target, kind: .opaqueMarker, mode: 0, uid: 0, gid: 0, size: 0, link: [])
        continue
      case .root, .ignored:
        continue
      case .entry:
        break
      }
      try appendEntry(
        path: path, info: info, parent: descriptor, name: name, scan: &scan,
        firstNames: &firstNames)
      if type == S_IFDIR {
        let child = try DataRootFolder.openAt(
          descriptor, name, flags: O_RDONLY | O_DIRECTORY | DataRootFolder.noAccessTime,
          display: folder.display(path))
        if Self.isOpaque(child) {
          scan.entryCount += 1
          scan.append(path: path, kind: .opaqueMarker, mode: 0, uid: 0, gid: 0, size: 0, link: [])
        }
        try walk(descriptor: child, prefix: path, scan: &scan, firstNames: &firstNames)
      }
    }
  }

  private func appendEntry(
    path: [UInt8], info: stat, parent: Int32, name: [UInt8], scan: inout LayerScan,
    firstNames: inout [FileIdentity: [UInt8]]
  ) throws(DataRootError) {
    let mode = UInt32(info.st_mode) & 0o7777
    var (uid, gid) = (UInt32(info.st_uid), UInt32(info.st_gid))
    if let owners { (uid, gid) = owners.containerOwner(uid: uid, gid: gid) }
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      if info.st_nlink > 1 {
        let identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        if let first = firstNames[identity] {
          scan.append(
            path: path, kind: .hardlink, mode: mode, uid: uid, gid: gid, size: 0,
            link: first)
          return
        }
        firstNames[identity] = path
      }
      let size = Int64(info.st_size)
      scan.contentSize += size
      scan.append(path: path, kind: .regular, mode: mode, uid: uid, gid: gid, size: size, link: [])
    case S_IFDIR:
      scan.append(path: path, kind: .directory, mode: mode, uid: uid, gid: gid, size: 0, link: [])
    case S_IFLNK:
      let target = try Self.linkTarget(parent: parent, name: name, size: Int(info.st_size))
      scan.append(
        path: path, kind: .symlink, mode: mode, uid: uid, gid: gid, size: 0,
        link: target)
    case S_IFCHR:
      scan.append(
        path: path, kind: .characterDevice, mode: mode, uid: uid, gid: gid, size: 0,
        link: [])
    case S_IFBLK:
      scan.append(
        path: path, kind: .blockDevice, mode: mode, uid: uid, gid: gid, size: 0,
        link: [])
    case S_IFIFO:
      scan.append(path: path, kind: .fifo, mode: mode, uid: uid, gid: gid, size: 0, link: [])
    default:
      // Sockets cannot be stored in a tar; Docker's tar writer skips them too.
      scan.entryCount -= 1
    }
  }

  /// A symlink's target, read without following it.
  private static func linkTarget(
    parent: Int32, name: [UInt8], size: Int
  ) throws(DataRootError) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: max(size, 255) + 1)
    let count = DataRootFolder.withCName(name) { cName in
      buffer.withUnsafeMutableBytes { raw -> Int in
        guard let base = raw.baseAddress else { return -1 }
        return readlinkat(parent, cName, base.assumingMemoryBound(to: CChar.self), raw.count)
      }
    }
    guard count >= 0 else { return [] }
    return Array(buffer[..<count])
  }

  /// Whether the open folder carries an overlay opaque attribute set to `y`.
  private static func isOpaque(_ descriptor: Int32) -> Bool {
    guard let getAttribute = ExtendedAttributes.get else { return false }
    for attribute in opaqueAttributes {
      var value: UInt8 = 0
      let count = getAttribute(descriptor, attribute, &value, 1)
      if count == 1 && value == UInt8(ascii: "y") { return true }
    }
    return false
  }
}
