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
    if row >= 0 && top + row < rows.count { selected = top + row }
  }

  mutating func draw(into buffer: inout ScreenBuffer, rect: Rect) {
    let shared = ancestry.nodes.filter { $0.usedBy.count > 1 }.count
    var body = PaneHeader.draw(
      "Layer ancestry",
      detail: "\(ancestry.nodes.count) layers · ◆ \(shared) shared by several images",
      focused: true, into: &buffer, rect: rect)
    guard !rows.isEmpty else {
      buffer.write("No layers.", x: body.x + 1, y: body.y, limit: body.x + body.width)
      return
    }
    selected = min(selected, rows.count - 1)
    // Rows cut the image names short; the selected layer's own lines below show them all.
    if body.height >= 8 {
      let (list, info) = body.splitTop(body.height - (body.height >= 12 ? 4 : 3))
      drawSelected(into: &buffer, rect: info)
      body = list
    }
    pageHeight = max(1, body.height)
    if selected < top { top = selected }
    if selected >= top + body.height { top = selected - body.height + 1 }
    for row in 0..<body.height where top + row < rows.count {
      let entry = rows[top + row]
      let node = ancestry.nodes[entry.node]
      var style = TextStyle(color: node.usedBy.count > 1 ? .cyan : .normal)
      if top + row == selected { style.isReversed = true }
      let indent = String(repeating: "  ", count: min(entry.depth, 20))
      let users =
        node.usedBy.isEmpty
        ? "" : "  used by " + node.usedBy.map(DisplayText.safe).joined(separator: ", ")
      let mark = node.usedBy.count > 1 ? "◆ " : "  "
      let text =
        mark + TextWrap.padLeft(ByteCountText.format(node.sizeBytes), to: 8) + "  "
        + indent + Digest.short(node.diffID) + users
      buffer.write(
        TextWrap.truncate(text, to: body.width), x: body.x, y: body.y + row,
        style: style, columns: body.width)
    }
  }

  /// A rule, then the selected layer's IDs and every image that uses it, wrapped.
  private func drawSelected(into buffer: inout ScreenBuffer, rect: Rect) {
    let node = ancestry.nodes[rows[selected].node]
    let body = PaneHeader.draw(
      "Layer", detail: Digest.short(node.diffID), focused: false, into: &buffer, rect: rect)
    var users = "No image uses this layer."
    if let only = node.usedBy.first, node.usedBy.count == 1 {
      users = "Only \(DisplayText.safe(only)) uses it"
      if let bytes = ancestry.exclusiveBytes[only] {
        users += "; removing that image frees " + ByteCountText.format(bytes)
      }
      users += "."
    } else if !node.usedBy.isEmpty {
      users =
        "Shared by \(node.usedBy.count) images: "
        + node.usedBy.map(DisplayText.safe).joined(separator: ", ")
    }
    let text =
      ByteCountText.format(node.sizeBytes) + " · chain " + Digest.short(node.chainID)
      + " · " + users
    let lines = TextWrap.wrap(text, to: max(1, body.width - 1))
    for (row, line) in lines.prefix(body.height).enumerated() {
      let cut = row == body.height - 1 && lines.count > body.height
      buffer.write(
        cut ? TextWrap.truncate(line + " …", to: body.width - 1) : line,
        x: body.x + 1, y: body.y + row, limit: body.x + body.width)
    }
  }
}
