import LayerCore

/// The layer list: one row per layer with its size, a mark for the layers in the comparison
/// and the command that made it.
struct LayerListPane {
  private(set) var selected = 0
  private var top = 0
  private var pageHeight = 1

  /// Moves the selection by rows, within `count` layers.
  mutating func move(by rows: Int, count: Int) {
    selected = max(0, min(count - 1, selected + rows))
  }

  /// Selects a layer.
  mutating func select(_ layer: Int, count: Int) {
    selected = max(0, min(count - 1, layer))
  }

  /// Selects the layer on a row of the last drawn window, if there is one.
  mutating func select(row: Int, count: Int) {
    guard row >= 0, top + row < count else { return }
    selected = top + row
  }

  /// Rows of layers the pane showed last.
  var visibleRows: Int { pageHeight }

  /// The mark of a layer: `●` when its changes are shown, `○` for the base the aggregated
  /// view compares against, a space otherwise.
  static func mark(layer: Int, selected: Int, mode: TreeViewMode) -> Character {
    if layer == selected { return "●" }
    guard mode == .aggregated else { return " " }
    if layer == 0 { return "○" }
    return layer < selected ? "●" : " "
  }

  /// Draws the title line and the window of layers that holds the selection.
  mutating func draw(
    _ model: ImageModel, mode: TreeViewMode, into buffer: inout ScreenBuffer, rect: Rect,
    focused: Bool
  ) {
    let body = PaneHeader.draw(
      "Layers", detail: "\(selected + 1) of \(model.layerCount)", focused: focused,
      into: &buffer, rect: rect)
    pageHeight = max(1, body.height)
    if selected < top { top = selected }
    if selected >= top + body.height { top = selected - body.height + 1 }
    top = max(0, min(top, model.layerCount - body.height))
    let sizeColumns = 7
    for row in 0..<body.height {
      let layer = top + row
      guard layer < model.layerCount else { break }
      let info = model.info.layers[layer]
      var style = TextStyle.plain
      if layer == selected {
        if focused { style.isReversed = true } else { style.isUnderlined = true }
      }
      let y = body.y + row
      buffer.fill(x: body.x, y: y, columns: body.width, style: style)
      let mark = Self.mark(layer: layer, selected: selected, mode: mode)
      let command = CommandText.oneLine(info.history?.createdBy ?? "")
      let size = TextWrap.padLeft(ByteCountText.format(info.contentSize), to: sizeColumns)
      // A size takes up to seven columns (`56.8 MB`); one space keeps it off the mark.
      let text = "\(mark) " + size + " " + (command.isEmpty ? "(no command recorded)" : command)
      buffer.write(
        TextWrap.truncate(text, to: body.width), x: body.x, y: y, style: style,
        limit: body.x + body.width)
    }
  }
}
