import LayerCore

/// What the session does after the app took an event.
public enum AppOutcome: Equatable, Sendable {
  case running
  /// Leave with this exit status.
  case quit(Int32)
}

/// The whole interactive UI as a state machine: it takes key events and renders a full
/// screen into a ``ScreenBuffer``. It knows nothing about curses, so tests drive it directly.
///
/// Reading an image can take a while, so opening one is two steps: an event asks for it and
/// the screen says so (``needsLoading``), then the session calls ``loadPendingImage()``.
public final class App {
  /// Where the app is.
  enum Mode {
    case picker
    case loading(Int)
    case image(ImageScreen)
    case ancestry(AncestryPane)
  }

  public let catalog: any ImageCatalog
  public private(set) var width: Int
  public private(set) var height: Int
  var mode: Mode
  var picker = PickerPane()
  var help: HelpScreen?
  /// The full-width details of the open image, over its panes.
  var details: DetailsScreen?
  var prompt: Prompt?
  /// A message for the footer, shown until the next key.
  var status: String?
  /// The last opened image, kept so Esc and Enter go back to it without reading it again.
  private var opened: (index: Int, screen: ImageScreen)?

  /// Starts on the picker, or straight on an image when one is named or the source holds
  /// just one.
  public init(catalog: any ImageCatalog, initialImage: Int? = nil, width: Int, height: Int) {
    self.catalog = catalog
    self.width = width
    self.height = height
    if let initialImage, catalog.entries.indices.contains(initialImage) {
      mode = .loading(initialImage)
    } else if catalog.entries.count == 1 {
      mode = .loading(0)
    } else {
      mode = .picker
    }
  }

  /// Whether an image waits to be read; the session draws the screen first, then calls
  /// ``loadPendingImage()``.
  public var needsLoading: Bool {
    if case .loading = mode { return true }
    return false
  }

  /// The catalog index of the image the app waits for, if any.
  public var pendingImage: Int? {
    if case .loading(let index) = mode { return index }
    return nil
  }

  /// Reads the image the app waits for, here and now; on failure, goes back to the picker
  /// with the reason.
  public func loadPendingImage() {
    guard let index = pendingImage else { return }
    finishLoading(index, with: Result { try catalog.openImage(at: index) })
  }

  /// Shows an image read elsewhere (the session reads on a background thread so that keys
  /// work meanwhile); ignored unless the app still waits for that image.
  public func finishLoading(_ index: Int, with result: Result<ImageModel, any Error>) {
    guard pendingImage == index else { return }
    let title = catalog.entries[index].title
    do {
      let model = try result.get()
      let screen = ImageScreen(model: model, title: title)
      opened = (index, screen)
      mode = .image(screen)
      if !model.warnings.isEmpty {
        status = "\(model.warnings.count) warning(s): " + model.warnings[0]
      }
    } catch {
      mode = .picker
      status = "Could not read '\(title)': \(error). Pick another image or press Ctrl-C."
    }
  }

  // MARK: - Events

  /// Takes one event and says whether to go on.
  public func handle(_ event: KeyEvent) -> AppOutcome {
    status = nil
    if case .resize(let newWidth, let newHeight) = event {
      width = max(0, newWidth)
      height = max(0, newHeight)
      return .running
    }
    if event == .ctrl("c") { return .quit(0) }
    if prompt != nil { return handlePrompt(event) }
    if help != nil { return handleHelp(event) }
    if details != nil, case .image(let screen) = mode {
      return handleDetails(event, screen: screen)
    }
    switch mode {
    case .picker: return handlePicker(event)
    case .loading:
      if event == .character("q") { return .quit(0) }
      if event == .special(.escape) { mode = .picker }
      return .running
    case .image(let screen): return handleImage(event, screen: screen)
    case .ancestry(var pane):
      let outcome = handleAncestry(event, pane: &pane)
      if case .ancestry = mode { mode = .ancestry(pane) }
      return outcome
    }
  }

  private func handleHelp(_ event: KeyEvent) -> AppOutcome {
    switch event {
    case .character("j"), .special(.down): help?.scroll(by: 1)
    case .character("k"), .special(.up): help?.scroll(by: -1)
    case .special(.pageDown), .character(" "): help?.scroll(by: max(1, height - 4))
    case .special(.pageUp): help?.scroll(by: -max(1, height - 4))
    case .mouse(let mouse) where mouse.action != .press:
      help?.scroll(by: mouse.action == .wheelUp ? -3 : 3)
    case .character("q"): return .quit(0)
    default: help = nil
    }
    return .running
  }

  private func handleDetails(_ event: KeyEvent, screen: ImageScreen) -> AppOutcome {
    guard var details else { return .running }
    let count = screen.model.layerCount
    switch event {
    case .character("j"), .special(.down): details.scroll(by: 1)
    case .character("k"), .special(.up): details.scroll(by: -1)
    case .special(.pageDown), .character(" "): details.scroll(by: details.pageHeight)
    case .special(.pageUp): details.scroll(by: -details.pageHeight)
    case .character("g"), .special(.home): details.scrollToTop()
    case .character("G"), .special(.end): details.scrollToEnd()
    case .character("h"), .special(.left), .character("l"), .special(.right):
      let step = event == .character("h") || event == .special(.left) ? -1 : 1
      screen.layers.move(by: step, count: count)
      screen.syncTree()
      details.scrollToTop()
    case .mouse(let mouse) where mouse.action != .press:
      details.scroll(by: mouse.action == .wheelUp ? -3 : 3)
    case .character("q"): return .quit(0)
    case .character("?"): help = HelpScreen()
    case .special(.escape), .special(.enter), .character("d"):
      self.details = nil
      return .running
    default: break
    }
    self.details = details
    return .running
  }

  private func handlePicker(_ event: KeyEvent) -> AppOutcome {
    let count = picker.matches(catalog.entries).count
    switch event {
    case .special(.up): picker.move(by: -1, count: count)
    case .special(.down): picker.move(by: 1, count: count)
    case .special(.pageUp): picker.move(by: -picker.pageHeight, count: count)
    case .special(.pageDown): picker.move(by: picker.pageHeight, count: count)
    case .special(.home): picker.move(by: -count, count: count)
    case .special(.end): picker.move(by: count, count: count)
    case .special(.backspace), .special(.delete): picker.deleteBackward()
    case .special(.enter): openSelected()
    case .special(.tab): showAncestry()
    case .special(.escape):
      if picker.query.isEmpty { return .quit(0) }
      picker.clearQuery()
    case .character(let character): picker.type(character)
    case .mouse(let mouse):
      if mouse.action == .press {
        // Title, filter line and column header sit above the first image row.
        let before = picker.selectedEntry(catalog.entries)
        if picker.select(row: mouse.y - 3, count: count),
          before == picker.selectedEntry(catalog.entries)
        {
          openSelected()
        }
      } else {
        picker.move(by: mouse.action == .wheelUp ? -3 : 3, count: count)
      }
    default: break
    }
    return .running
  }

  private func openSelected() {
    guard let index = picker.selectedEntry(catalog.entries) else { return }
    if let opened, opened.index == index {
      mode = .image(opened.screen)
    } else {
      mode = .loading(index)
    }
  }

  private func showAncestry() {
    do {
      guard let ancestry = try catalog.ancestry() else {
        status = "This source has no layer ancestry; only data roots do."
        return
      }
      mode = .ancestry(AncestryPane(ancestry: ancestry))
    } catch {
      status = "Could not read the layer ancestry: \(error)."
    }
  }

  private func handleAncestry(_ event: KeyEvent, pane: inout AncestryPane) -> AppOutcome {
    switch event {
    case .character("q"): return .quit(0)
    case .special(.escape), .special(.tab): mode = .picker
    case .character("j"), .special(.down): pane.move(by: 1)
    case .character("k"), .special(.up): pane.move(by: -1)
    case .special(.pageDown): pane.move(by: pane.pageHeight)
    case .special(.pageUp): pane.move(by: -pane.pageHeight)
    case .character("g"), .special(.home): pane.move(by: -pane.rows.count)
    case .character("G"), .special(.end): pane.move(by: pane.rows.count)
    case .mouse(let mouse):
      // The title takes row 0.
      if mouse.action == .press {
        pane.select(row: mouse.y - 1)
      } else {
        pane.move(by: mouse.action == .wheelUp ? -3 : 3)
      }
    default: break
    }
    return .running
  }

  private func handleImage(_ event: KeyEvent, screen: ImageScreen) -> AppOutcome {
    if case .mouse(let mouse) = event {
      guard
        let layout = ImageLayout.make(
          width: width, height: height, layerCount: screen.model.layerCount)
      else { return .running }
      if mouse.action == .press, layout.details?.contains(x: mouse.x, y: mouse.y) == true {
        details = DetailsScreen()
      } else {
        screen.handle(mouse, layout: layout)
      }
      return .running
    }
    guard let command = KeyMap.command(for: event, focus: screen.focus) else {
      return .running
    }
    switch command {
    case .quit: return .quit(0)
    case .switchPane: screen.focus = screen.focus == .layers ? .tree : .layers
    case .showHelp: help = HelpScreen()
    case .showDetails: details = DetailsScreen()
    case .goBack:
      details = nil
      mode = .picker
    case .startSearch: prompt = Prompt(purpose: .search, text: "")
    case .startFilter:
      screen.focus = .tree
      let current = screen.tree.filter?.pattern ?? ""
      prompt = Prompt(purpose: .filter(previous: current), text: current)
    default: status = screen.perform(command)
    }
    return .running
  }

  private func handlePrompt(_ event: KeyEvent) -> AppOutcome {
    guard var prompt, case .image(let screen) = mode else {
      self.prompt = nil
      return .running
    }
    switch event {
    case .special(.escape):
      if case .filter(let previous) = prompt.purpose { try? screen.tree.setFilter(previous) }
      self.prompt = nil
      return .running
    case .special(.enter):
      self.prompt = nil
      if prompt.purpose == .search, !prompt.text.isEmpty,
        !screen.tree.search(prompt.text)
      {
        status = "No name contains '\(prompt.text)'."
      }
      if case .filter = prompt.purpose, let problem = prompt.problem {
        status = "Filter not applied: \(problem)."
      }
      return .running
    case .special(.backspace), .special(.delete):
      if prompt.text.isEmpty { return .running }
      prompt.text.removeLast()
    case .character(let character):
      prompt.text.append(character)
    default:
      return .running
    }
    if case .filter = prompt.purpose {
      do {
        try screen.tree.setFilter(prompt.text)
        prompt.problem = nil
      } catch {
        prompt.problem = "invalid pattern: " + error.message
      }
    }
    self.prompt = prompt
    return .running
  }

  // MARK: - Drawing

  /// Renders the whole screen at the current size.
  public func render() -> ScreenBuffer {
    var buffer = ScreenBuffer(width: width, height: height)
    guard width >= ImageLayout.minimumWidth && height >= ImageLayout.minimumHeight else {
      ImageLayout.drawTooSmall(into: &buffer)
      return buffer
    }
    let footerRow = height - 1
    let body = Rect(x: 0, y: 0, width: width, height: height - 1)
    if let help {
      help.draw(into: &buffer, rect: body)
      Footer.drawText("Esc close · j k scroll · q quit", into: &buffer, row: footerRow)
      return buffer
    }
    switch mode {
    case .picker:
      picker.draw(catalog, into: &buffer, rect: body)
      let ancestryHint = catalog.hasLayerAncestry ? "  Tab layer ancestry" : ""
      Footer.drawText(
        "type to filter  ↑↓ select  ⏎ open\(ancestryHint)  Esc clear/quit  ^C quit",
        into: &buffer, row: footerRow)
    case .loading(let index):
      let entry = catalog.entries[index]
      let text = "Reading \(DisplayText.safe(entry.title)) (\(entry.layerCount) layers)…"
      buffer.write(TextWrap.truncate(text, to: width - 2), x: 1, y: height / 2)
      Footer.drawText("Please wait.  Esc image list  q quit", into: &buffer, row: footerRow)
    case .ancestry(var pane):
      pane.draw(into: &buffer, rect: body)
      mode = .ancestry(pane)
      Footer.drawText("j k move  Esc back  q quit", into: &buffer, row: footerRow)
    case .image(let screen) where details != nil:
      details?.draw(
        screen.model, layer: screen.selectedLayer, title: screen.title,
        into: &buffer, rect: body)
      Footer.drawText(
        "Esc close  j k scroll  ← → layer  ? help  q quit", into: &buffer,
        row: footerRow)
    case .image(let screen):
      guard
        let layout = ImageLayout.make(
          width: width, height: height, layerCount: screen.model.layerCount)
      else { break }
      screen.draw(into: &buffer, layout: layout)
      if let prompt {
        Footer.drawPrompt(
          prompt.label, text: prompt.text, note: prompt.note, into: &buffer,
          row: footerRow)
      } else if status == nil {
        let bindings = KeyMap.footerBindings(
          for: screen.focus, hasImageList: catalog.entries.count > 1)
        Footer.drawHints(bindings, into: &buffer, row: footerRow)
      }
    }
    if let status, prompt == nil {
      Footer.drawText(status, style: TextStyle(isBold: true), into: &buffer, row: footerRow)
    }
    return buffer
  }
}
