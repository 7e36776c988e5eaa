import LayerCore

extension FileTreePane {
  /// Columns of the attribute block: mode, owner, size and the gaps between them.
  private static let modeColumns = 10
  private static let ownerColumns = 10
  private static let sizeColumns = 7
  /// The narrowest pane that shows the attribute block; narrower, names need the room.
  static let attributesMinimumWidth = 45

  /// Whether the attribute columns show in a pane of this size.
  func showsAttributes(in rect: Rect) -> Bool {
    options.showsAttributes && rect.width >= Self.attributesMinimumWidth
  }

  /// The rows above the first entry: the title line, and the column header when it shows.
  func headerRows(in rect: Rect) -> Int {
    showsAttributes(in: rect) && rect.height > 4 ? 2 : 1
  }

  /// Draws the pane: a title line, a column header, then the window of rows.
  func draw(into buffer: inout ScreenBuffer, rect: Rect, focused: Bool) {
    var details: [String] = []
    if options.sortsBySize { details.append("by size") }
    if !options.hidden.isEmpty {
      let names = ChangeMark.allCases.filter(options.hidden.contains).map(\.name)
      details.append("hiding " + names.joined(separator: ","))
    }
    if let filter { details.append("filter " + filter.pattern) }
    let detail = details.joined(separator: " · ")
    var body = PaneHeader.draw(
      "Files", detail: detail, focused: focused, into: &buffer, rect: rect)
    let showsAttributes = showsAttributes(in: rect)
    if headerRows(in: rect) == 2 {
      drawColumnHeader(into: &buffer, rect: body)
      body = body.splitTop(1).rest
    }
    pageHeight = max(1, body.height)
    let rows = windowRows(body.height)
    if rows.isEmpty {
      drawEmptyNote(into: &buffer, rect: body)
      return
    }
    for (position, cursor) in rows.enumerated() {
      drawRow(
        cursor, into: &buffer, x: body.x, y: body.y + position, width: body.width,
        focused: focused, showsAttributes: showsAttributes)
    }
  }

  private func drawColumnHeader(into buffer: inout ScreenBuffer, rect: Rect) {
    let text =
      "  " + TextWrap.padRight("Permission", to: Self.modeColumns)
      + TextWrap.padLeft("UID:GID", to: Self.ownerColumns)
      + TextWrap.padLeft("Size", to: Self.sizeColumns + 1) + " Name"
    buffer.write(text, x: rect.x, y: rect.y, style: TextStyle(isDim: true), columns: rect.width)
  }

  private func drawEmptyNote(into buffer: inout ScreenBuffer, rect: Rect) {
    let note =
      filter != nil || !options.hidden.isEmpty
      ? "Nothing to show. Press f to change the filter, or a, r, m, u to show hidden changes."
      : mode == .layerChanges ? "This layer changed no files." : "This layer holds no files."
    for (line, text) in TextWrap.wrap(note, to: max(1, rect.width - 2)).enumerated()
    where line < rect.height {
      buffer.write(text, x: rect.x + 1, y: rect.y + line, limit: rect.x + rect.width)
    }
  }

  private func drawRow(
    _ cursor: TreeCursor, into buffer: inout ScreenBuffer, x: Int, y: Int, width: Int,
    focused: Bool, showsAttributes: Bool
  ) {
    let view = tree.view
    let node = cursor.node
    let mark = view.mark(of: node) ?? .unchanged
    let record = view.record(of: node, mark: mark).map { view.model.record($0) }
    let isDirectory = record?.kind == .directory

    var style = TextStyle(color: mark.color)
    if isSelected(cursor) {
      if focused { style.isReversed = true } else { style.isUnderlined = true }
    }
    buffer.fill(x: x, y: y, columns: width, style: style)
    let end = x + width
    var column = buffer.write(String(mark.symbol) + " ", x: x, y: y, style: style, limit: end)
    if showsAttributes {
      column = buffer.write(
        attributes(record, node: node, mark: mark, isDirectory: isDirectory),
        x: column, y: y, style: style, limit: end)
    }
    column = buffer.write(
      treePrefix(cursor, isDirectory: isDirectory), x: column, y: y,
      style: style, limit: end)
    column = buffer.write(
      DisplayText.decode(view.model.tree.name(of: node)), x: column, y: y,
      style: style.with(isBold: isDirectory), limit: end)
    if let record, !record.linkTarget.isEmpty {
      let arrow = record.kind == .hardlink ? " ⇒ /" : " → "
      buffer.write(
        arrow + DisplayText.decode(record.linkTarget), x: column, y: y, style: style,
        limit: end)
    }
  }

  private func attributes(
    _ record: EntryRecord?, node: NodeIndex, mark: ChangeMark, isDirectory: Bool
  ) -> String {
    guard let record else {
      let blank = Self.modeColumns + Self.ownerColumns + Self.sizeColumns + 2
      return String(repeating: " ", count: blank)
    }
    let mode = ModeText.format(kind: record.kind, mode: record.mode)
    var owner = "\(record.uid):\(record.gid)"
    if owner.count > Self.ownerColumns - 1 { owner = "…" + owner.suffix(Self.ownerColumns - 2) }
    let bytes = isDirectory ? tree.view.size(of: node, mark: mark) : record.size
    let size =
      record.kind == .regular || record.kind == .hardlink || isDirectory
      ? ByteCountText.format(bytes) : ""
    return mode + TextWrap.padLeft(owner, to: Self.ownerColumns)
      + TextWrap.padLeft(size, to: Self.sizeColumns + 1) + " "
  }

  /// The tree lines before a name: `│ ` or two spaces per outer level, then `├─` or `└─`,
  /// then `▾` (open directory), `▸` (closed directory) or `─`, and a space.
  private func treePrefix(_ cursor: TreeCursor, isDirectory: Bool) -> String {
    let lastFlags = tree.lastFlags(of: cursor)
    var text = ""
    for isLast in lastFlags.dropLast() { text += isLast ? "  " : "│ " }
    text += lastFlags.last == true ? "└─" : "├─"
    if isDirectory {
      text += tree.collapse.isExpanded(cursor.node) ? "▾" : "▸"
    } else {
      text += "─"
    }
    return text + " "
  }
}

extension TextStyle {
  /// This style with bold set as given.
  func with(isBold: Bool) -> TextStyle {
    var copy = self
    copy.isBold = isBold
    return copy
  }
}
