import LayerCore

/// Which directories are expanded: a default for all and the exceptions to it. It outlives
/// layer and view changes, so a directory stays open while the user walks the layers.
public struct CollapseState: Sendable, Equatable {
  /// Whether directories are expanded unless listed in ``exceptions``.
  public private(set) var expandsByDefault: Bool
  public private(set) var exceptions: Set<NodeIndex> = []

  public init(expandsByDefault: Bool = true) {
    self.expandsByDefault = expandsByDefault
  }

  /// Whether a directory is expanded; the root always is.
  public func isExpanded(_ node: NodeIndex) -> Bool {
    node == PathTree.root || expandsByDefault != exceptions.contains(node)
  }

  /// Expands or collapses one directory.
  public mutating func set(_ node: NodeIndex, expanded: Bool) {
    if expanded == expandsByDefault {
      exceptions.remove(node)
    } else {
      exceptions.insert(node)
    }
  }

  /// Expands or collapses every directory.
  public mutating func setAll(expanded: Bool) {
    expandsByDefault = expanded
    exceptions.removeAll()
  }
}
