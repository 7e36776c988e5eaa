import LayerCore

extension App {
  /// Runs key events against a fresh app at a fixed size, reading images when asked, and
  /// returns the last screen: the headless path tests and `--screen-dump` style checks use.
  ///
  /// Events after a quit are ignored.
  public static func replay(
    _ events: [KeyEvent], catalog: any ImageCatalog, initialImage: Int? = nil, width: Int = 80,
    height: Int = 24
  ) -> ScreenBuffer {
    let app = App(catalog: catalog, initialImage: initialImage, width: width, height: height)
    _ = app.render()
    app.loadPendingImage()
    for event in events {
      _ = app.render()
      if case .quit = app.handle(event) { break }
      if app.needsLoading {
        _ = app.render()
        app.loadPendingImage()
      }
    }
    return app.render()
  }
}
