import LayerCore

/// The layer ancestry of a data root: every layer chain as a tree, with the images that use
/// each layer, so shared layers stand out.
struct AncestryPane {
  /// One row: a node of the ancestry and its depth.
  struct Row {
    var node: Int
    var depth: Int
  }

  let ancestry: LayerAncestry
  let rows: [Row]
  private(set) var selected = 0
  private var top = 0
  private(set) var pageHeight = 1

  init(ancestry: LayerAncestry) {
    self.ancestry = ancestry
    var rows: [Row] = []
    var stack = ancestry.roots.reversed().map { Row(node: $0, depth: 0) }
    while let row = stack.popLast() {
      rows.append(row)
      for child in ancestry.nodes[row.node].children.reversed() {
        stack.append(Row(node: child, depth: row.depth + 1))
      }
    }
    self.rows = rows
  }

  mutating func move(by count: Int) {
    selected = max(0, min(rows.count - 1, selected + count))
  }

  mutating func select(row: Int) {
    if top + row < rows.count { selected = top + row }
  }

  mutating func draw(into buffer: inout ScreenBuffer, rect: Rect) {
    let shared = ancestry.nodes.filter { $0.usedBy.count > 1 }.count
    let body = PaneHeader.draw(
      "Layer ancestry", detail: "\(ancestry.nodes.count) layers, \(shared) shared",
      focused: true, into: &buffer, rect: rect)
    pageHeight = max(1, body.height)
    guard !rows.isEmpty else {
      buffer.write("No layers.", x: body.x + 1, y: body.y, limit: body.x + body.width)
      return
    }
    if selected < top { top = selected }
    if selected >= top + body.height { top = selected - body.height + 1 }
    for row in 0..<body.height where top + row < rows.count {
      let entry = rows[top + row]
      let node = ancestry.nodes[entry.node]
      var style = TextStyle(color: node.usedBy.count > 1 ? .cyan : .normal)
      if top + row == selected { style.isReversed = true }
      let indent = String(repeating: "  ", count: min(entry.depth, 20))
      let users = node.usedBy.isEmpty
        ? "" : "  used by " + node.usedBy.map(DisplayText.safe).joined(separator: ", ")
      let mark = node.usedBy.count > 1 ? "◆ " : "  "
      let text = mark + TextWrap.padLeft(ByteCountText.format(node.sizeBytes), to: 8) + "  "
        + indent + Digest.short(node.diffID) + users
      buffer.write(text, x: body.x, y: body.y + row, style: style, columns: body.width)
    }
  }
}
