import LayerCore

/// One layer's changes sorted by node, for lookups by node in O(log n).
struct LayerChangeIndex: Sendable {
  let nodes: [NodeIndex]
  let kinds: [ChangeKind]

  /// Sorts a layer's change list.
  ///
  /// - Complexity: O(n log n) in the number of changes.
  init(_ changes: LayerChanges) {
    let order = changes.nodes.indices.sorted { changes.nodes[$0] < changes.nodes[$1] }
    nodes = order.map { changes.nodes[$0] }
    kinds = order.map { changes.kinds[$0] }
  }

  /// How the layer changed `node`, or nil when it did not.
  func kind(of node: NodeIndex) -> ChangeKind? {
    var low = 0
    var high = nodes.count - 1
    while low <= high {
      let middle = (low + high) >> 1
      let value = nodes[middle]
      if value == node { return kinds[middle] }
      if value < node { low = middle + 1 } else { high = middle - 1 }
    }
    return nil
  }
}

/// Per directory, the bytes one layer wrote below it: the sizes the layer-only view shows.
struct LayerOwnBytes: Sendable {
  private let bytes: [NodeIndex: Int64]

  /// Sums the layer's added and modified entries into every ancestor.
  ///
  /// - Complexity: O(c log c) for c changes, plus the directories above them; nodes are
  ///   numbered parent first, so children are summed before their parents in one pass.
  init(model: ImageModel, layer: Int, index: LayerChangeIndex) {
    var sums: [NodeIndex: Int64] = [:]
    sums.reserveCapacity(index.nodes.count)
    for (node, kind) in zip(index.nodes, index.kinds) {
      var own: Int64 = 0
      if kind != .removed, let record = model.record(of: node, inLayer: layer) {
        own = model.size(of: record)
      }
      sums[node, default: 0] += own
    }
    for node in index.nodes {
      var parent = node == PathTree.root ? -1 : model.tree.parent(of: node)
      while parent >= 0 && sums[parent] == nil {
        sums[parent] = 0
        parent = parent == PathTree.root ? -1 : model.tree.parent(of: parent)
      }
    }
    // Parents are numbered before their children, so a descending pass sums each subtree
    // before its parent reads it.
    for node in sums.keys.sorted(by: >) where node != PathTree.root {
      sums[model.tree.parent(of: node), default: 0] += sums[node] ?? 0
    }
    bytes = sums
  }

  /// Bytes the layer wrote at or below `node`, or nil when it changed nothing there.
  func bytes(at node: NodeIndex) -> Int64? { bytes[node] }
}
