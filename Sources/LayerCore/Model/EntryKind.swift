/// The type of one entry in a layer, as its tar header or its diff folder records it.
public enum EntryKind: UInt8, Sendable, Equatable {
  /// A regular file (typeflag `0`).
  case regular
  /// A directory (typeflag `5`).
  case directory
  /// A symbolic link (typeflag `2`); its target is stored verbatim.
  case symlink
  /// A hard link to an earlier path (typeflag `1`).
  case hardlink
  /// A character device (typeflag `3`).
  case characterDevice
  /// A block device (typeflag `4`).
  case blockDevice
  /// A named pipe (typeflag `6`).
  case fifo
  /// `dir/.wh.<name>` in a layer tar: removes `<name>` and everything below it from lower layers.
  case whiteout
  /// `dir/.wh..wh..opq` in a layer tar: hides every lower child of `dir`.
  case opaqueMarker

  /// Whether this kind is a marker that removes lower content rather than a file.
  public var isRemoval: Bool { self == .whiteout || self == .opaqueMarker }

  /// The one-letter type column of `ls -l`.
  public var typeLetter: Character {
    switch self {
    case .regular, .hardlink: "-"
    case .directory: "d"
    case .symlink: "l"
    case .characterDevice: "c"
    case .blockDevice: "b"
    case .fifo: "p"
    case .whiteout, .opaqueMarker: "w"
    }
  }
}

/// How a layer changed one path, compared with the merged view of the layers below it.
public enum ChangeKind: UInt8, Sendable, Equatable, CaseIterable {
  /// The path was not visible below and is now.
  case added
  /// The path was visible below and differs in type, mode, owner, size, link target or content.
  case modified
  /// The path was visible below and is hidden now (a whiteout, an opaque directory, or a
  /// directory replaced by a file).
  case removed

  /// The word used in JSON output and on screen.
  public var name: String {
    switch self {
    case .added: "added"
    case .modified: "modified"
    case .removed: "removed"
    }
  }
}
