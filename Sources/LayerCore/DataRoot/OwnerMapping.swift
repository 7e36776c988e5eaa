import Glibc

/// How the owners of files on disk map to the owners a container sees, for a daemon that ran in
/// a user namespace.
///
/// tar-split keeps the IDs of the layer tar itself, so only what is read from a diff folder (a
/// container's layers, and the fallback when tar-split is unusable) needs mapping back.
/// - userns-remap: dockerd names the root `<uid>.<gid>` after the remap user's first
///   subordinate IDs; container ID `n` is host ID `uid + n`.
/// - rootless: the data root belongs to the user running dockerd, who is root in the
///   containers; container IDs from 1 up are the user's subordinate IDs from `/etc/subuid` and
///   `/etc/subgid`.
///
/// A host ID outside every range is not mapped into the container, which sees the overflow ID.
struct OwnerMapping: Sendable, Equatable {
  /// `count` host IDs from `host` are container IDs from `container`.
  struct Range: Sendable, Equatable {
    var host: UInt32
    var container: UInt32
    var count: UInt32

    func map(_ id: UInt32) -> UInt32? {
      id >= host && id - host < count ? container + (id - host) : nil
    }
  }

  var uids: [Range]
  var gids: [Range]

  /// The kernel's overflow ID: what a container sees for a host ID outside its ranges.
  static let overflowID: UInt32 = 65534

  /// The mapping a userns-remap folder name `<uid>.<gid>` gives, nil for any other name.
  ///
  /// The size of the range (the remap user's `/etc/subuid` count) is not in the name; every ID
  /// from the start up is taken as mapped.
  init?(remapFolderName name: String) {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    let isDecimal: (Substring) -> Bool = { part in
      !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber }
    }
    guard parts.count == 2, parts.allSatisfy(isDecimal), let uid = UInt32(parts[0]),
      let gid = UInt32(parts[1])
    else { return nil }
    uids = [Range(host: uid, container: 0, count: UInt32.max - uid)]
    gids = [Range(host: gid, container: 0, count: UInt32.max - gid)]
  }

  init(uids: [Range], gids: [Range]) {
    self.uids = uids
    self.gids = gids
  }

  /// The mapping of a rootless data root owned by `uid`:`gid`, with the subordinate ranges
  /// listed for that user (by name or number) in the two files.
  static func rootless(
    uid: UInt32, gid: UInt32, subuid: String? = readText("/etc/subuid"),
    subgid: String? = readText("/etc/subgid")
  ) -> OwnerMapping {
    var names = ["\(uid)"]
    if let entry = getpwuid(uid), let name = entry.pointee.pw_name {
      names.append(String(cString: name))
    }
    let own = { (id: UInt32) in Range(host: id, container: 0, count: 1) }
    return OwnerMapping(
      uids: [own(uid)] + subordinateRanges(subuid ?? "", for: names),
      gids: [own(gid)] + subordinateRanges(subgid ?? "", for: names))
  }

  /// The `name:start:count` lines of a subordinate ID file for one of `names`, mapped from
  /// container ID 1 on, in the order listed.
  static func subordinateRanges(_ text: String, for names: [String]) -> [Range] {
    var next: UInt32 = 1
    var result: [Range] = []
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: ":", omittingEmptySubsequences: false)
      guard fields.count == 3, names.contains(String(fields[0])), let start = UInt32(fields[1]),
        let count = UInt32(fields[2]), count > 0
      else { continue }
      result.append(Range(host: start, container: next, count: count))
      next += count
    }
    return result
  }

  /// The owner a container sees for a file owned by `uid`:`gid` on disk.
  func containerOwner(uid: UInt32, gid: UInt32) -> (UInt32, UInt32) {
    (
      uids.lazy.compactMap { $0.map(uid) }.first ?? Self.overflowID,
      gids.lazy.compactMap { $0.map(gid) }.first ?? Self.overflowID
    )
  }

  /// A small system file's text, nil when it cannot be read.
  static func readText(_ path: String) -> String? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 1 << 20 {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      bytes += chunk[..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
