import LayerCore

/// The rows the file tree shows for one view and one set of options, computed on demand.
///
/// Children lists are filtered and sorted per directory the first time the walk reaches it,
/// then kept. An entry whose mark is hidden still shows when something below it shows, as in
/// dive. What that needs is worked out once per tree from the changed or matching nodes,
/// never from a walk of the whole tree: a keep set of shown nodes when unchanged entries are
/// hidden or a filter is on, else the set of hidden-mark directories that have shown
/// descendants.
final class VisibleTree {
  let view: TreeView
  let options: TreeOptions
  var collapse: CollapseState
  /// The only nodes shown, when unchanged entries are hidden or a filter is on.
  private let keep: NodeSet?
  /// The directories shown despite their hidden mark, when ``keep`` is nil.
  private let shownDespiteMark: NodeSet?
  private var childCache: [NodeIndex: [NodeIndex]] = [:]

  init(view: TreeView, options: TreeOptions, filter: PathFilter?, collapse: CollapseState) {
    self.view = view
    self.options = options
    self.collapse = collapse
    let tree = view.model.tree
    guard filter != nil || options.hidden.contains(.unchanged) else {
      keep = nil
      shownDespiteMark = options.hidden.isEmpty ? nil : Self.shownDespiteMark(view, options)
      return
    }
    var set = NodeSet(count: tree.count)
    set.insert(PathTree.root)
    for candidate in filter?.matchList ?? view.changedNodes() {
      guard let mark = view.mark(of: candidate), !options.hidden.contains(mark) else { continue }
      var node = candidate
      while node != PathTree.root && set.insert(node) { node = tree.parent(of: node) }
    }
    keep = set
    shownDespiteMark = nil
  }

  /// The directories whose mark is hidden but that hold an entry whose mark is not, when
  /// unchanged entries show. Only changed entries can have a hidden mark, so this looks at
  /// those and at their children, deepest first so a child is settled before its parent.
  ///
  /// - Complexity: O(c log c) for c changed nodes, plus the children of hidden-mark
  ///   directories up to the first shown one.
  private static func shownDespiteMark(_ view: TreeView, _ options: TreeOptions) -> NodeSet {
    let tree = view.model.tree
    var shown = NodeSet(count: tree.count)
    var hidden: [NodeIndex] = []
    for node in view.changedNodes() {
      guard let mark = view.mark(of: node), options.hidden.contains(mark),
        view.isDirectory(node, mark: mark)
      else { continue }
      hidden.append(node)
    }
    hidden.sort(by: >)
    var previous: NodeIndex = -1
    for directory in hidden where directory != previous {
      previous = directory
      for child in tree.children(of: directory) {
        guard let mark = view.mark(of: child) else { continue }
        if !options.hidden.contains(mark) || shown.contains(child) {
          shown.insert(directory)
          break
        }
      }
    }
    return shown
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
        guard shownDespiteMark?.contains(child) == true else { continue }
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
