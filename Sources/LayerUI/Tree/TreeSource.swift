import LayerCore

/// What the file tree of one image needs, computed once per layer and kept: merged views (the
/// few most recent), sorted change lists and per-directory layer bytes.
///
/// Moving to a layer seen before costs nothing; a new layer costs one merged view, O(paths),
/// and sorting its own change list.
final class TreeSource {
  let model: ImageModel
  private var views: [(layer: Int, view: MergedView)] = []
  private var indexes: [Int: LayerChangeIndex] = [:]
  private var ownBytes: [Int: LayerOwnBytes] = [:]
  /// How many merged views stay cached; each costs 12 bytes per path.
  private let viewCapacity = 6

  init(model: ImageModel) {
    self.model = model
  }

  /// The merged view at a layer, from the cache when it is there.
  func mergedView(at layer: Int) -> MergedView {
    if let position = views.firstIndex(where: { $0.layer == layer }) {
      let entry = views.remove(at: position)
      views.append(entry)
      return entry.view
    }
    let view = model.mergedView(at: layer)
    views.append((layer, view))
    if views.count > viewCapacity { views.removeFirst() }
    return view
  }

  /// A layer's changes sorted by node.
  func changeIndex(at layer: Int) -> LayerChangeIndex {
    if let index = indexes[layer] { return index }
    let index = LayerChangeIndex(model.changes[layer])
    indexes[layer] = index
    return index
  }

  /// The bytes a layer wrote below each directory.
  func ownBytes(at layer: Int) -> LayerOwnBytes {
    if let bytes = ownBytes[layer] { return bytes }
    let bytes = LayerOwnBytes(model: model, layer: layer, index: changeIndex(at: layer))
    ownBytes[layer] = bytes
    return bytes
  }

  /// The tree view at a layer in a mode.
  func view(layer: Int, mode: TreeViewMode) -> TreeView {
    let lower: MergedView?
    switch mode {
    case .aggregated: lower = layer > 0 ? mergedView(at: 0) : nil
    case .merged, .layerChanges: lower = layer > 0 ? mergedView(at: layer - 1) : nil
    }
    let aggregated =
      mode == .aggregated && layer > 0
      ? (1...layer).map { changeIndex(at: $0) } : []
    return TreeView(
      model: model, layer: layer, mode: mode, current: mergedView(at: layer), lower: lower,
      changes: changeIndex(at: layer), aggregated: aggregated,
      ownBytes: mode == .layerChanges ? ownBytes(at: layer) : nil)
  }
}
