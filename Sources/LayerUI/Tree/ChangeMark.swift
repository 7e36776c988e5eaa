import LayerCore

/// How an entry of the file tree changed in the view shown; every entry in a view has one.
public enum ChangeMark: UInt8, Sendable, Equatable, CaseIterable, Hashable {
  case unchanged
  case added
  case modified
  case removed

  init(_ kind: ChangeKind) {
    switch kind {
    case .added: self = .added
    case .modified: self = .modified
    case .removed: self = .removed
    }
  }

  /// The one-character mark that reads without color: `+`, `~`, `-`, or a space.
  public var symbol: Character {
    switch self {
    case .unchanged: " "
    case .added: "+"
    case .modified: "~"
    case .removed: "-"
    }
  }

  /// The word help and the tree header use.
  public var name: String {
    switch self {
    case .unchanged: "unchanged"
    case .added: "added"
    case .modified: "modified"
    case .removed: "removed"
    }
  }

  /// The color of entries with this mark.
  public var color: TextColor {
    switch self {
    case .unchanged: .normal
    case .added: .green
    case .modified: .yellow
    case .removed: .red
    }
  }
}
