import LayerCore

/// The right pane: the file tree of the selected layer, its selection and scroll position.
///
/// The pane keeps a cursor for the selected row and one for the top row; moving, paging and
/// drawing step those cursors through ``VisibleTree`` and never count or walk the rows
/// outside the window.
final class FileTreePane {
  let source: TreeSource
  private(set) var tree: VisibleTree
  private(set) var options = TreeOptions()
  private(set) var filter: PathFilter?
  private(set) var searchPattern: String?
  private var selected: TreeCursor?
  private var top: TreeCursor?
  /// Rows between the top row and the selected one.
  private var offset = 0
  /// Rows the pane showed last; paging moves by this much.
  var pageHeight = 10

  init(source: TreeSource, layer: Int, mode: TreeViewMode) {
    self.source = source
    tree = VisibleTree(
      view: source.view(layer: layer, mode: mode), options: options, filter: nil,
      collapse: CollapseState())
    selected = tree.first()
    top = selected
  }

  var layer: Int { tree.view.layer }
  var mode: TreeViewMode { tree.view.mode }
  var selectedNode: NodeIndex? { selected?.node }

  // MARK: - Changing the view

  /// Shows another layer or mode, keeping the selected path where it still exists.
  func show(layer: Int, mode: TreeViewMode) {
    guard layer != self.layer || mode != self.mode else { return }
    rebuild(view: source.view(layer: layer, mode: mode))
  }

  /// Applies new options (hidden marks, sort, columns).
  func apply(_ options: TreeOptions) {
    guard options != self.options else { return }
    let onlyColumns =
      options.hidden == self.options.hidden
      && options.sortsBySize == self.options.sortsBySize
    self.options = options
    if onlyColumns {
      tree = VisibleTree(view: tree.view, options: options, filter: filter, collapse: tree.collapse)
      relocate()
    } else {
      rebuild(view: tree.view)
    }
  }

  /// Filters paths by a pattern; an empty pattern removes the filter.
  func setFilter(_ pattern: String) throws(PathFilter.PatternError) {
    if pattern.isEmpty {
      filter = nil
    } else if pattern != filter?.pattern {
      filter = try PathFilter(pattern: pattern, tree: source.model.tree)
    }
    rebuild(view: tree.view)
  }

  private func rebuild(view: TreeView) {
    tree = VisibleTree(view: view, options: options, filter: filter, collapse: tree.collapse)
    relocate()
  }

  /// Finds the selected path in the current tree and puts it back at the same screen row.
  private func relocate() {
    let wanted = selected?.node
    selected = wanted.flatMap { tree.locate($0) } ?? tree.first()
    guard var cursor = selected else {
      top = nil
      offset = 0
      return
    }
    var moved = 0
    while moved < min(offset, max(0, pageHeight - 1)), let previous = tree.previous(cursor) {
      cursor = previous
      moved += 1
    }
    // Rows that no longer reach the bottom of the window pull earlier rows into view, so a
    // tree that got shorter (collapsed, filtered) is not left scrolled past its start.
    var below = 0
    var last = selected
    while below < pageHeight - 1 - moved, let current = last, let next = tree.next(current) {
      last = next
      below += 1
    }
    while moved + below < pageHeight - 1, let previous = tree.previous(cursor) {
      cursor = previous
      moved += 1
    }
    top = cursor
    offset = moved
  }

  // MARK: - Moving

  /// Moves the selection by whole rows, scrolling to keep it in view.
  func move(by rows: Int) {
    guard var cursor = selected else { return }
    if rows > 0 {
      for _ in 0..<rows {
        guard let next = tree.next(cursor) else { break }
        cursor = next
        if offset + 1 < pageHeight {
          offset += 1
        } else if let current = top, let next = tree.next(current) {
          top = next
        }
      }
    } else {
      for _ in 0..<(-rows) {
        guard let previous = tree.previous(cursor) else { break }
        cursor = previous
        if offset > 0 { offset -= 1 } else { top = cursor }
      }
    }
    selected = cursor
  }

  /// Selects the first row.
  func moveToFirst() {
    selected = tree.first()
    top = selected
    offset = 0
  }

  /// Selects the last row, at the bottom of the window.
  func moveToLast() {
    guard var cursor = tree.last() else { return }
    selected = cursor
    var moved = 0
    while moved < pageHeight - 1, let previous = tree.previous(cursor) {
      cursor = previous
      moved += 1
    }
    top = cursor
    offset = moved
  }

  /// Selects the row shown at `row` of the window; returns false when there is none.
  @discardableResult
  func select(row: Int) -> Bool {
    guard var cursor = top, row >= 0 else { return false }
    for _ in 0..<row {
      guard let next = tree.next(cursor) else { return false }
      cursor = next
    }
    selected = cursor
    offset = row
    return true
  }

  // MARK: - Collapsing

  /// Collapses or expands the selected directory.
  func toggleCollapse() {
    guard let node = selected?.node, isDirectory(node) else { return }
    tree.collapse.set(node, expanded: !tree.collapse.isExpanded(node))
  }

  /// Collapses the selected directory, or selects its parent when it is collapsed or a file.
  func collapseOrSelectParent() {
    guard let cursor = selected else { return }
    let node = cursor.node
    if isDirectory(node) && tree.collapse.isExpanded(node) {
      tree.collapse.set(node, expanded: false)
      return
    }
    var parent = cursor
    guard parent.steps.count > 1 else { return }
    parent.steps.removeLast()
    select(parent)
  }

  /// Expands the selected directory, or selects its first child when it is open.
  func expandOrSelectChild() {
    guard let node = selected?.node, isDirectory(node) else { return }
    if !tree.collapse.isExpanded(node) {
      tree.collapse.set(node, expanded: true)
    } else {
      move(by: 1)
    }
  }

  /// Collapses or expands every directory.
  func setAllExpanded(_ expanded: Bool) {
    tree.collapse.setAll(expanded: expanded)
    relocate()
  }

  /// Whether every directory is expanded by default now.
  var expandsByDefault: Bool { tree.collapse.expandsByDefault }

  private func isDirectory(_ node: NodeIndex) -> Bool {
    guard let mark = tree.view.mark(of: node) else { return false }
    return tree.view.isDirectory(node, mark: mark)
  }

  /// Selects a cursor, scrolling so it shows near where the selection was.
  private func select(_ cursor: TreeCursor) {
    selected = cursor
    relocate()
  }

  // MARK: - Searching

  /// Finds the next (or previous) entry whose name contains the pattern, looking inside
  /// collapsed directories too, and opens the way to it. Returns false when none matches.
  ///
  /// Upper-case letters in the pattern make the search case-sensitive.
  // TODO: a search whose only matches this view hides (or does not hold) still walks every
  // row, about 0.3 s on a million entries.
  @discardableResult
  func search(_ pattern: String, forward: Bool = true) -> Bool {
    searchPattern = pattern
    guard !pattern.isEmpty, let start = selected ?? tree.first() else { return false }
    let folds = !pattern.contains { $0.isUppercase }
    let needle = Array((folds ? pattern.lowercased() : pattern).utf8)
    // The interned names first: when none matches, there is no row to walk to.
    let names = tree.model.tree
    guard
      (1..<max(1, names.count)).contains(where: { index in
        Self.name(names.name(of: NodeIndex(index)), contains: needle, folding: folds)
      })
    else { return false }
    var cursor = start
    repeat {
      let following =
        forward
        ? tree.next(cursor, ignoringCollapse: true) ?? tree.first()
        : tree.previous(cursor, ignoringCollapse: true) ?? lastIgnoringCollapse()
      guard let following else { return false }
      cursor = following
      if Self.name(tree.model.tree.name(of: cursor.node), contains: needle, folding: folds) {
        for step in cursor.steps.dropLast() { tree.collapse.set(step.node, expanded: true) }
        selected = cursor
        offset = min(offset, pageHeight / 2)
        relocate()
        return true
      }
    } while cursor.node != start.node
    return false
  }

  private func lastIgnoringCollapse() -> TreeCursor? {
    let saved = tree.collapse
    tree.collapse.setAll(expanded: true)
    let last = tree.last()
    tree.collapse = saved
    return last
  }

  private static func name(
    _ name: ArraySlice<UInt8>, contains needle: [UInt8], folding: Bool
  ) -> Bool {
    guard name.count >= needle.count else { return false }
    func fold(_ byte: UInt8) -> UInt8 {
      folding && byte >= 65 && byte <= 90 ? byte + 32 : byte
    }
    var start = name.startIndex
    while start + needle.count <= name.endIndex {
      var offset = 0
      while offset < needle.count && fold(name[start + offset]) == needle[offset] { offset += 1 }
      if offset == needle.count { return true }
      start += 1
    }
    return false
  }

  // MARK: - Rows

  /// The rows of the window: up to `count` cursors from the top row.
  func windowRows(_ count: Int) -> [TreeCursor] {
    if offset >= count, var cursor = selected {
      // The window shrank: keep the selection on its last row.
      var moved = 0
      while moved < count - 1, let previous = tree.previous(cursor) {
        cursor = previous
        moved += 1
      }
      top = cursor
      offset = moved
    }
    var rows: [TreeCursor] = []
    var cursor = top
    while rows.count < count, let current = cursor {
      rows.append(current)
      cursor = tree.next(current)
    }
    return rows
  }

  /// Whether a cursor is the selected row.
  func isSelected(_ cursor: TreeCursor) -> Bool { cursor == selected }
}
