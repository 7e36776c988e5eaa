import LayerCore

/// The `d` screen: the selected layer's details and the image's at the full width of the
/// terminal, scrolled line by line, so a long command or path can be read whole.
struct DetailsScreen {
  private var top = 0
  /// The largest top line at the last drawing; scrolling stops there.
  private var lastTop = 0
  /// Rows of text the screen showed last; paging moves by this much.
  private(set) var pageHeight = 1

  /// The lines for a layer at a width: the layer's block, then the image's.
  static func lines(
    _ model: ImageModel, layer: Int, title: String, width: Int
  ) -> [(String, TextStyle)] {
    var lines = DetailsPane.layerLines(model.info.layers[layer], width: width, full: true)
    lines.append(("", .plain))
    lines.append(("Image", TextStyle(isBold: true)))
    lines += DetailsPane.imageLines(model, title: title, width: width, full: true)
    return lines
  }

  /// Scrolls by lines.
  mutating func scroll(by rows: Int) {
    top = max(0, min(lastTop, top + rows))
  }

  /// Goes back to the first line, as for another layer.
  mutating func scrollToTop() {
    top = 0
  }

  /// Scrolls to the last page.
  mutating func scrollToEnd() {
    top = lastTop
  }

  mutating func draw(
    _ model: ImageModel, layer: Int, title: String, into buffer: inout ScreenBuffer, rect: Rect
  ) {
    let lines = Self.lines(model, layer: layer, title: title, width: max(1, rect.width - 2))
    let rows = max(0, rect.height - 1)
    pageHeight = max(1, rows)
    lastTop = max(0, lines.count - rows)
    top = min(top, lastTop)
    let position =
      lastTop > 0
      ? "lines \(top + 1)–\(min(lines.count, top + rows)) of \(lines.count) · " : ""
    let body = PaneHeader.draw(
      "Layer \(layer + 1) of \(model.layerCount)",
      detail: "details · " + position + "← → layer · Esc close", focused: true,
      into: &buffer, rect: rect)
    for row in 0..<body.height where top + row < lines.count {
      let line = lines[top + row]
      buffer.write(
        line.0, x: body.x + 1, y: body.y + row, style: line.1,
        limit: body.x + body.width - 1)
    }
  }
}
