import LayerCore

/// The rows the file tree shows for one view and one set of options, computed on demand.
///
/// Children lists are filtered and sorted per directory the first time the walk reaches it,
/// then kept. A hide or filter option that must know what lies below a directory (hiding
/// unchanged entries, a path filter) computes a keep set once, from the changed or matching
/// nodes upward, never from a walk of the whole tree.
final class VisibleTree {
  let view: TreeView
  let options: TreeOptions
  var collapse: CollapseState
  private let keep: NodeSet?
  private var childCache: [NodeIndex: [NodeIndex]] = [:]

  // FIXME: hiding added, removed or modified entries while unchanged ones show uses no keep
  // set, so a directory whose own mark is hidden hides its whole subtree, shown children too.
  init(view: TreeView, options: TreeOptions, filter: PathFilter?, collapse: CollapseState) {
    self.view = view
    self.options = options
    self.collapse = collapse
    guard filter != nil || options.hidden.contains(.unchanged) else {
      keep = nil
      return
    }
    var set = NodeSet(count: view.model.tree.count)
    set.insert(PathTree.root)
    let tree = view.model.tree
    for candidate in filter?.matchList ?? view.changedNodes() {
      guard let mark = view.mark(of: candidate), !options.hidden.contains(mark) else { continue }
      var node = candidate
      while node != PathTree.root && set.insert(node) { node = tree.parent(of: node) }
    }
    keep = set
  }

  var model: ImageModel { view.model }

  // MARK: - Children

  /// The shown children of a node, in display order.
  func children(of node: NodeIndex) -> [NodeIndex] {
    if let cached = childCache[node] { return cached }
    var result: [(node: NodeIndex, size: Int64)] = []
    for child in model.tree.children(of: node) {
      guard let mark = view.mark(of: child) else { continue }
      if let keep {
        guard keep.contains(child) else { continue }
      } else if options.hidden.contains(mark) {
        continue
      }
      result.append((child, options.sortsBySize ? view.size(of: child, mark: mark) : 0))
    }
    if options.sortsBySize {
      // Names break ties; the children come sorted by name, so their order is the tie-break.
      let ordered = result.enumerated().sorted {
        ($0.element.size, $1.offset) > ($1.element.size, $0.offset)
      }
      result = ordered.map(\.element)
    }
    let nodes = result.map(\.node)
    childCache[node] = nodes
    return nodes
  }

  /// Whether a row opens downward: an expanded directory with shown children.
  private func descends(into node: NodeIndex, ignoringCollapse: Bool) -> Bool {
    (ignoringCollapse || collapse.isExpanded(node)) && !children(of: node).isEmpty
  }

  // MARK: - Walking rows

  /// The first row, if any.
  func first() -> TreeCursor? {
    guard let node = children(of: PathTree.root).first else { return nil }
    return TreeCursor(steps: [.init(directory: PathTree.root, index: 0, node: node)])
  }

  /// The last row, if any.
  func last() -> TreeCursor? {
    let top = children(of: PathTree.root)
    guard let node = top.last else { return nil }
    var cursor = TreeCursor(
      steps: [.init(directory: PathTree.root, index: top.count - 1, node: node)])
    descendToLast(&cursor, ignoringCollapse: false)
    return cursor
  }

  /// The row after `cursor` in display order; with `ignoringCollapse`, the order of the fully
  /// expanded tree.
  func next(_ cursor: TreeCursor, ignoringCollapse: Bool = false) -> TreeCursor? {
    var cursor = cursor
    let node = cursor.node
    if descends(into: node, ignoringCollapse: ignoringCollapse) {
      cursor.steps.append(.init(directory: node, index: 0, node: children(of: node)[0]))
      return cursor
    }
    while let step = cursor.steps.last {
      let siblings = children(of: step.directory)
      if step.index + 1 < siblings.count {
        cursor.steps[cursor.steps.count - 1].index += 1
        cursor.steps[cursor.steps.count - 1].node = siblings[step.index + 1]
        return cursor
      }
      cursor.steps.removeLast()
    }
    return nil
  }

  /// The row before `cursor` in display order.
  func previous(_ cursor: TreeCursor, ignoringCollapse: Bool = false) -> TreeCursor? {
    var cursor = cursor
    guard let step = cursor.steps.last else { return nil }
    if step.index == 0 {
      cursor.steps.removeLast()
      return cursor.steps.isEmpty ? nil : cursor
    }
    let siblings = children(of: step.directory)
    cursor.steps[cursor.steps.count - 1].index -= 1
    cursor.steps[cursor.steps.count - 1].node = siblings[step.index - 1]
    descendToLast(&cursor, ignoringCollapse: ignoringCollapse)
    return cursor
  }

  private func descendToLast(_ cursor: inout TreeCursor, ignoringCollapse: Bool) {
    while descends(into: cursor.node, ignoringCollapse: ignoringCollapse) {
      let kids = children(of: cursor.node)
      let step = TreeCursor.Step(
        directory: cursor.node, index: kids.count - 1, node: kids[kids.count - 1])
      cursor.steps.append(step)
    }
  }

  /// The row of a node, or of its nearest shown ancestor when it is hidden or inside a
  /// collapsed directory; nil when not even a top-level ancestor is shown.
  ///
  /// - Complexity: O(depth × siblings) along the node's path.
  func locate(_ target: NodeIndex) -> TreeCursor? {
    var chain: [NodeIndex] = []
    var node = target
    while node != PathTree.root && node >= 0 {
      chain.append(node)
      node = model.tree.parent(of: node)
    }
    var cursor = TreeCursor(steps: [])
    var directory = PathTree.root
    for node in chain.reversed() {
      guard collapse.isExpanded(directory),
        let index = children(of: directory).firstIndex(of: node)
      else { break }
      cursor.steps.append(.init(directory: directory, index: index, node: node))
      directory = node
    }
    return cursor.steps.isEmpty ? nil : cursor
  }

  /// Whether the row is the last of its siblings at each level, outermost first: what the
  /// tree lines are drawn from.
  func lastFlags(of cursor: TreeCursor) -> [Bool] {
    cursor.steps.map { $0.index == children(of: $0.directory).count - 1 }
  }
}
