/// Where the panes of the image screen go at a terminal size.
///
/// At 72 columns and more the layer list and details sit left of the file tree; narrower,
/// the layer list stacks above the tree and the details are left out; below 24x6 only a note
/// is shown.
struct ImageLayout: Equatable {
  var title: Rect
  var layers: Rect
  var details: Rect?
  var tree: Rect
  /// The column of the line between the left and right panes, when side by side.
  var divider: Rect?
  var footer: Rect

  /// The smallest size anything but a note fits in.
  static let minimumWidth = 24
  static let minimumHeight = 6

  /// The layout, or nil when the terminal is too small.
  static func make(width: Int, height: Int, layerCount: Int) -> ImageLayout? {
    guard width >= minimumWidth && height >= minimumHeight else { return nil }
    let title = Rect(x: 0, y: 0, width: width, height: 1)
    let footer = Rect(x: 0, y: height - 1, width: width, height: 1)
    let body = Rect(x: 0, y: 1, width: width, height: height - 2)
    if width < 72 {
      let layerRows = min(layerCount + 1, max(2, body.height / 3))
      let (top, rest) = body.splitTop(layerRows)
      return ImageLayout(
        title: title, layers: top, details: nil, tree: rest, divider: nil, footer: footer)
    }
    let leftWidth = max(28, width * 3 / 8)
    let left = Rect(x: 0, y: body.y, width: leftWidth, height: body.height)
    let layerRows = min(layerCount + 1, max(3, body.height / 3))
    let (layers, details) = left.splitTop(layerRows)
    return ImageLayout(
      title: title, layers: layers, details: details,
      tree: Rect(x: leftWidth + 1, y: body.y, width: width - leftWidth - 1, height: body.height),
      divider: Rect(x: leftWidth, y: body.y, width: 1, height: body.height), footer: footer)
  }

  /// Draws the note shown when the terminal is too small.
  static func drawTooSmall(into buffer: inout ScreenBuffer) {
    let lines = TextWrap.wrap(
      "Terminal too small (\(buffer.width)x\(buffer.height)). "
        + "Make it at least \(minimumWidth)x\(minimumHeight). q quits.",
      to: max(1, buffer.width))
    for (row, line) in lines.enumerated() where row < buffer.height {
      buffer.write(line, x: 0, y: row)
    }
  }
}
