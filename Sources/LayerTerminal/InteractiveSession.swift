import Foundation
import LayerCore
import LayerUI
import Synchronization

/// The interactive view's entry point for the executable.
public enum InteractiveSession {
  /// Exit status when the terminal cannot be used.
  public static let terminalFailure: Int32 = 2
  /// Exit status for a key replay that cannot be read.
  public static let badUsage: Int32 = 64

  /// Runs the full-screen UI until the user quits or a signal arrives, and returns the exit
  /// status: 0 on quit, 128 + n on signal n, ``terminalFailure`` or ``badUsage`` on errors.
  ///
  /// The terminal is restored on every path before anything is printed; errors go to standard
  /// error after that.
  /// - Parameters:
  ///   - initialImage: the catalog index to open first; nil shows the picker (or opens the
  ///     only image).
  ///   - keys: a key replay (``KeyScript`` syntax) to run before reading the keyboard.
  ///   - keysFile: a file holding a key replay.
  @MainActor
  public static func run(
    catalog: any ImageCatalog, initialImage: Int?, keys: String? = nil, keysFile: String? = nil
  ) -> Int32 {
    let replay: [KeyEvent]
    do {
      replay = try loadReplay(keys: keys, keysFile: keysFile)
    } catch {
      complain("\(error)")
      return badUsage
    }
    let screen = TerminalScreen()
    let signals = SignalWatch()
    CrashGuard.install()
    defer {
      screen.stop()
      CrashGuard.remove()
      signals.stop()
    }
    do {
      try screen.start()
    } catch {
      screen.stop()
      complain(error.description)
      return terminalFailure
    }
    let (width, height) = screen.size
    let app = App(catalog: catalog, initialImage: initialImage, width: width, height: height)
    return loop(app, screen: screen, signals: signals, replay: replay)
  }

  @MainActor
  private static func loop(
    _ app: App, screen: TerminalScreen, signals: SignalWatch, replay: [KeyEvent]
  ) -> Int32 {
    var pending = replay[...]
    var needsDrawing = true
    var reading: ImageReading?
    while true {
      if let number = signals.signal { return 128 + number }
      if needsDrawing {
        screen.draw(app.render())
        needsDrawing = false
      }
      if let index = app.pendingImage {
        // A replay waits for each image, so that it gives the same screens every time.
        guard pending.isEmpty else {
          app.loadPendingImage()
          needsDrawing = true
          continue
        }
        if reading?.index != index { reading = ImageReading(app.catalog, index: index) }
      }
      if let current = reading, let result = current.result {
        app.finishLoading(current.index, with: result)
        reading = nil
        needsDrawing = true
        continue
      }
      let event: KeyEvent
      if let next = pending.popFirst() {
        event = next
      } else if let read = screen.readEvent(timeout: reading == nil ? 200 : 50) {
        event = read
      } else {
        continue
      }
      if case .quit(let status) = app.handle(event) { return status }
      needsDrawing = true
    }
  }

  /// Reads one image on a background thread while the event loop goes on taking keys.
  // TODO: a read left with Esc runs on to its end in the background (opening the same image
  // again reuses it); reading a layer cannot be cancelled midway yet.
  private final class ImageReading: Sendable {
    let index: Int
    private let outcome = Mutex<Result<ImageModel, any Error>?>(nil)

    init(_ catalog: any ImageCatalog, index: Int) {
      self.index = index
      Thread.detachNewThread { [self] in
        let result = Result { try catalog.openImage(at: index) }
        outcome.withLock { $0 = result }
      }
    }

    /// The model or the error, once reading is over.
    var result: Result<ImageModel, any Error>? {
      outcome.withLock { $0 }
    }
  }

  /// Renders the screen a key replay leads to, without a terminal, as text with style runs.
  public static func screenDump(
    catalog: any ImageCatalog, initialImage: Int?, keys: String? = nil,
    keysFile: String? = nil, width: Int = 80, height: Int = 24
  ) throws -> String {
    let events = try loadReplay(keys: keys, keysFile: keysFile)
    return App.replay(
      events, catalog: catalog, initialImage: initialImage, width: width, height: height
    ).dump
  }

  private static func loadReplay(keys: String?, keysFile: String?) throws -> [KeyEvent] {
    var events: [KeyEvent] = []
    if let keysFile {
      guard let data = FileManager.default.contents(atPath: keysFile) else {
        throw KeyScript.ParseError(message: "cannot read the key file '\(keysFile)'")
      }
      events += try KeyScript.parse(String(decoding: data, as: UTF8.self))
    }
    if let keys { events += try KeyScript.parse(keys) }
    return events
  }

  private static func complain(_ message: String) {
    FileHandle.standardError.write(Data(("layerscope: " + message + "\n").utf8))
  }
}
