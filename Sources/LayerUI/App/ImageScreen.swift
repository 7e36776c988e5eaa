import LayerCore

/// The two-pane screen of one opened image: layer list, details and file tree.
final class ImageScreen {
  let model: ImageModel
  let title: String
  let tree: FileTreePane
  var layers = LayerListPane()
  var mode: TreeViewMode = .merged
  var focus: PaneFocus = .layers

  init(model: ImageModel, title: String) {
    self.model = model
    self.title = title
    let top = max(0, model.layerCount - 1)
    tree = FileTreePane(source: TreeSource(model: model), layer: top, mode: .merged)
    layers.select(top, count: model.layerCount)
    // Open on the top layer, where the whole image shows; the first layer is one `g` away.
  }

  var selectedLayer: Int { layers.selected }

  /// Shows the selected layer in the current mode.
  func syncTree() {
    tree.show(layer: layers.selected, mode: mode)
  }

  /// Carries out a command for the focused pane; returns a message for the footer, if any.
  func perform(_ command: KeyCommand) -> String? {
    switch command {
    case .moveUp, .moveDown, .pageUp, .pageDown, .moveToFirst, .moveToLast:
      move(command)
    case .expandOrSelectChild where focus == .layers:
      focus = .tree
    case .cycleView:
      mode = mode.next
      syncTree()
    case .showView(let wanted):
      mode = wanted
      syncTree()
    case .toggleCollapse: tree.toggleCollapse()
    case .collapseOrSelectParent: tree.collapseOrSelectParent()
    case .expandOrSelectChild: tree.expandOrSelectChild()
    case .toggleCollapseAll: tree.setAllExpanded(!tree.expandsByDefault)
    case .collapseAll: tree.setAllExpanded(false)
    case .expandAll: tree.setAllExpanded(true)
    case .toggleHidden(let mark):
      var options = tree.options
      if options.hidden.remove(mark) == nil { options.hidden.insert(mark) }
      tree.apply(options)
    case .toggleSort:
      var options = tree.options
      options.sortsBySize.toggle()
      tree.apply(options)
    case .toggleAttributes:
      var options = tree.options
      options.showsAttributes.toggle()
      tree.apply(options)
    case .nextMatch, .previousMatch:
      guard let pattern = tree.searchPattern else { return "No search yet. Press / to search." }
      if !tree.search(pattern, forward: command == .nextMatch) {
        return "No name contains '\(pattern)'."
      }
    default:
      break
    }
    return nil
  }

  private func move(_ command: KeyCommand) {
    if focus == .layers {
      let count = model.layerCount
      switch command {
      case .moveUp: layers.move(by: -1, count: count)
      case .moveDown: layers.move(by: 1, count: count)
      case .pageUp: layers.move(by: -layers.visibleRows, count: count)
      case .pageDown: layers.move(by: layers.visibleRows, count: count)
      case .moveToFirst: layers.select(0, count: count)
      default: layers.select(count - 1, count: count)
      }
      syncTree()
      return
    }
    switch command {
    case .moveUp: tree.move(by: -1)
    case .moveDown: tree.move(by: 1)
    case .pageUp: tree.move(by: -tree.pageHeight)
    case .pageDown: tree.move(by: tree.pageHeight)
    case .moveToFirst: tree.moveToFirst()
    default: tree.moveToLast()
    }
  }

  // MARK: - Mouse

  /// Selects or scrolls what is under the mouse.
  func handle(_ mouse: MouseEvent, layout: ImageLayout) {
    let rows = mouse.action == .wheelUp ? -3 : 3
    if layout.layers.contains(x: mouse.x, y: mouse.y) {
      focus = .layers
      if mouse.action == .press {
        layers.select(row: mouse.y - layout.layers.y - 1, count: model.layerCount)
      } else {
        layers.move(by: rows, count: model.layerCount)
      }
      syncTree()
    } else if layout.tree.contains(x: mouse.x, y: mouse.y) {
      focus = .tree
      guard mouse.action == .press else {
        tree.move(by: rows)
        return
      }
      let row = mouse.y - layout.tree.y - tree.headerRows(in: layout.tree)
      let before = tree.selectedNode
      if tree.select(row: row) && before == tree.selectedNode { tree.toggleCollapse() }
    }
  }

  // MARK: - Drawing

  func draw(into buffer: inout ScreenBuffer, layout: ImageLayout) {
    let titleText =
      "layerscope · \(DisplayText.safe(title)) · layer \(selectedLayer + 1) of "
      + "\(model.layerCount) · \(mode.name) view"
    buffer.write(
      TextWrap.truncate(titleText, to: buffer.width), x: 0, y: 0,
      style: TextStyle(isReversed: true), columns: buffer.width)
    layers.draw(model, mode: mode, into: &buffer, rect: layout.layers, focused: focus == .layers)
    if let details = layout.details {
      DetailsPane.draw(model, layer: selectedLayer, title: title, into: &buffer, rect: details)
    }
    if let divider = layout.divider {
      for row in divider.y..<(divider.y + divider.height) {
        buffer.write("│", x: divider.x, y: row, style: TextStyle(isDim: true))
      }
    }
    tree.draw(into: &buffer, rect: layout.tree, focused: focus == .tree)
  }
}
