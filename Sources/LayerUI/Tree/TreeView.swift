import LayerCore

/// The file tree of one image at one layer in one ``TreeViewMode``: which nodes it holds and
/// how each is marked, record and size. Answers per node, without walking the tree.
struct TreeView {
  let model: ImageModel
  let layer: Int
  let mode: TreeViewMode
  /// The merged filesystem at ``layer``.
  let current: MergedView
  /// What removed entries are read from: the layer below (merged, layer only) or the base
  /// layer (aggregated); nil at the bottom layer.
  let lower: MergedView?
  let changes: LayerChangeIndex
  /// The change lists of layers 1 through ``layer``, for the aggregated view.
  let aggregated: [LayerChangeIndex]
  /// The bytes the layer wrote below each directory, for the layer-only view.
  let ownBytes: LayerOwnBytes?

  /// The mark of `node` in this view, or nil when the view does not hold it.
  func mark(of node: NodeIndex) -> ChangeMark? {
    if node == PathTree.root { return .unchanged }
    switch mode {
    case .aggregated where layer > 0:
      return aggregatedMark(of: node)
    case .layerChanges:
      if let kind = changes.kind(of: node) { return ChangeMark(kind) }
      return ownBytes?.bytes(at: node) != nil ? .unchanged : nil
    default:
      let record = current.record(of: node)
      if let record, model.layer(of: record) < layer { return .unchanged }
      if let kind = changes.kind(of: node) { return ChangeMark(kind) }
      return record != nil ? .unchanged : nil
    }
  }

  private func aggregatedMark(of node: NodeIndex) -> ChangeMark? {
    let now = current.record(of: node)
    let base = lower?.record(of: node)
    switch (now, base) {
    case (nil, nil): return nil
    case (.some, nil): return .added
    case (nil, .some): return .removed
    case (let now?, let base?):
      if now == base { return .unchanged }
      return aggregated.contains { $0.kind(of: node) != nil } ? .modified : .unchanged
    }
  }

  /// The record an entry shows: for a removed entry, the one it had before its removal.
  func record(of node: NodeIndex, mark: ChangeMark) -> RecordIndex? {
    mark == .removed ? lower?.record(of: node) : current.record(of: node)
  }

  /// Whether the entry is a directory (the root is).
  func isDirectory(_ node: NodeIndex, mark: ChangeMark) -> Bool {
    if node == PathTree.root { return true }
    guard let record = record(of: node, mark: mark) else { return false }
    return model.kind(of: record) == .directory
  }

  /// The size the tree shows: a directory's visible subtree, or in the layer-only view the
  /// bytes the layer wrote below it.
  func size(of node: NodeIndex, mark: ChangeMark) -> Int64 {
    if mode == .layerChanges && mark != .removed && isDirectory(node, mark: mark) {
      return ownBytes?.bytes(at: node) ?? 0
    }
    if mark == .removed { return lower?.size(of: node) ?? 0 }
    return current.size(of: node)
  }

  /// Every node this view marks as changed, possibly with repeats.
  func changedNodes() -> [NodeIndex] {
    guard mode == .aggregated && layer > 0 else { return changes.nodes }
    return aggregated.flatMap(\.nodes)
  }
}
