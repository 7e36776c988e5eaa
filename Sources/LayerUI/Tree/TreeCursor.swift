import LayerCore

/// A row of the file tree, as the chain of positions that leads to it from the root: at each
/// level, a directory and the index of the next node among its shown children.
///
/// Stepping to the next or previous row touches only the chain, never the whole tree.
struct TreeCursor: Equatable {
  struct Step: Equatable {
    var directory: NodeIndex
    var index: Int
    var node: NodeIndex
  }

  var steps: [Step]

  /// The node of the row.
  var node: NodeIndex { steps[steps.count - 1].node }

  /// The depth of the row: 1 for the root's children.
  var depth: Int { steps.count }
}
