/// How the file tree is shown: what is hidden, the order, and the columns.
public struct TreeOptions: Sendable, Equatable {
  /// The change marks whose entries are hidden.
  public var hidden: Set<ChangeMark> = []
  /// Whether children are ordered by size (largest first) rather than by name.
  public var sortsBySize = false
  /// Whether the permission, owner and size columns are shown.
  public var showsAttributes = true

  public init() {}
}
