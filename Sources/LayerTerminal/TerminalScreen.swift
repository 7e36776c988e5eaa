@preconcurrency internal import CCurses
import Glibc
import LayerUI

/// The one place that talks to curses: starts and ends curses mode, draws a ``ScreenBuffer``
/// and reads key, mouse and resize events.
@MainActor
final class TerminalScreen {
  /// Why the terminal could not be used.
  struct StartError: Error, CustomStringConvertible {
    var description: String
  }

  private var screen: OpaquePointer?
  private var window: UnsafeMutablePointer<WINDOW>?
  private var usesColor = false
  private(set) var isActive = false

  /// Enters curses mode: raw keys, no echo, keypad and mouse, colors unless `NO_COLOR` is
  /// set or the terminal has none.
  func start() throws(StartError) {
    guard isatty(0) == 1 && isatty(1) == 1 else {
      throw StartError(
        description: "the interactive view needs a terminal; use --json or --ci otherwise")
    }
    setlocale(LC_ALL, "")
    guard let output = fdopen(dup(1), "w"), let input = fdopen(dup(0), "r") else {
      throw StartError(description: "cannot open the terminal")
    }
    guard let screen = newterm(nil, output, input) else {
      let term = String(cString: getenv("TERM") ?? strdup(""))
      throw StartError(description: "cannot start the terminal (TERM='\(term)')")
    }
    self.screen = screen
    set_term(screen)
    window = stdscr
    isActive = true
    raw()
    noecho()
    nonl()
    keypad(window, true)
    // What tmux, screen and rxvt send for Home and End, which xterm's terminfo does not list.
    let extraKeys: [(String, Int32)] = [
      ("\u{1b}[1~", KEY_HOME), ("\u{1b}[4~", KEY_END), ("\u{1b}[7~", KEY_HOME),
      ("\u{1b}[8~", KEY_END), ("\u{1b}[H", KEY_HOME), ("\u{1b}[F", KEY_END),
      ("\u{1b}OH", KEY_HOME), ("\u{1b}OF", KEY_END),
    ]
    for (sequence, code) in extraKeys { define_key(sequence, code) }
    set_escdelay(25)
    curs_set(0)
    mouseinterval(0)
    mousemask(
      CursesConstants.button1Pressed | CursesConstants.button4Pressed
        | CursesConstants.button5Pressed, nil)
    let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
    if !noColor && has_colors() {
      start_color()
      use_default_colors()
      let colors: [(TextColor, Int32)] = [
        (.green, COLOR_GREEN), (.red, COLOR_RED), (.yellow, COLOR_YELLOW), (.cyan, COLOR_CYAN),
        (.blue, COLOR_BLUE), (.magenta, COLOR_MAGENTA),
      ]
      for (color, value) in colors { init_pair(Int16(color.rawValue), Int16(value), -1) }
      usesColor = true
    }
  }

  /// Leaves curses mode; safe to call more than once.
  func stop() {
    guard isActive else { return }
    isActive = false
    curs_set(1)
    endwin()
    if let screen { delscreen(screen) }
    screen = nil
  }

  /// The terminal's size in columns and rows.
  var size: (width: Int, height: Int) {
    (Int(getmaxx(window)), Int(getmaxy(window)))
  }

  // MARK: - Drawing

  /// Puts a buffer on the screen; cells outside the buffer are cleared.
  func draw(_ buffer: ScreenBuffer) {
    guard let window else { return }
    werase(window)
    let (width, height) = size
    for row in 0..<min(height, buffer.height) {
      for column in 0..<min(width, buffer.width) {
        let cell = buffer[column, row]
        if cell.isContinuation { continue }
        put(
          cell, x: column, y: row,
          wide: column + 1 < buffer.width
            && buffer[column + 1, row].isContinuation)
      }
    }
    wrefresh(window)
  }

  private func put(_ cell: Cell, x: Int, y: Int, wide: Bool) {
    var scalars = cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
    // The screen buffer measures widths itself; when the C library disagrees, a stand-in of
    // the right width keeps every later column where the buffer put it.
    if let first = scalars.first, Int(systemWidth(first)) != (wide ? 2 : 1) {
      // A locale that cannot show the box drawing (LANG=C) still gets lines and marks.
      let standIn =
        wide
        ? nil
        : Unicode.Scalar(UInt32(bitPattern: first)).flatMap {
          Self.asciiStandIns[Character($0)]
        }
      scalars = [wchar_t(UInt8(ascii: standIn ?? "?"))]
      if wide {
        put(Cell(text: "?", style: cell.style), x: x, y: y, wide: false)
        put(Cell(text: "?", style: cell.style), x: x + 1, y: y, wide: false)
        return
      }
    }
    scalars = Array(scalars.prefix(5))
    scalars.append(0)
    var character = cchar_t()
    setcchar(&character, scalars, attributes(of: cell.style), pair(of: cell.style), nil)
    mvwadd_wch(window, Int32(y), Int32(x), &character)
  }

  /// ASCII for the drawing characters and marks the UI uses, for terminals whose locale has
  /// no such characters; each takes one column, as the original does.
  private static let asciiStandIns: [Character: Unicode.Scalar] = [
    "━": "=", "─": "-", "│": "|", "├": "|", "└": "`", "▾": "v", "▸": ">", "●": "*", "○": "o",
    "◆": "#", "…": "~", "·": "-", "→": ">", "⇒": ">", "↑": "^", "↓": "v", "←": "<", "⏎": "~",
    "–": "-",
  ]

  private func attributes(of style: TextStyle) -> attr_t {
    var value = attr_t(0)
    if style.isBold { value |= CursesConstants.bold }
    if style.isReversed { value |= CursesConstants.reverse }
    if style.isDim { value |= CursesConstants.dim }
    if style.isUnderlined { value |= CursesConstants.underline }
    return value
  }

  private func pair(of style: TextStyle) -> Int16 {
    usesColor ? Int16(style.color.rawValue) : 0
  }

  // MARK: - Reading

  /// Waits up to `milliseconds` for an event; nil on timeout or for keys it does not know.
  func readEvent(timeout milliseconds: Int32) -> KeyEvent? {
    guard let window else { return nil }
    wtimeout(window, milliseconds)
    var value: wint_t = 0
    let status = wget_wch(window, &value)
    if status == KEY_CODE_YES { return keyEvent(code: Int32(value)) }
    guard status == OK else { return nil }
    switch value {
    case 10, 13: return .special(.enter)
    case 9: return .special(.tab)
    case 27: return escapeOrSequence()
    case 8, 127: return .special(.backspace)
    case 0..<32: return .control(UInt8(value))
    default:
      guard let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
      return .character(Character(scalar))
    }
  }

  /// Esc, or nothing for the rest of an escape sequence curses did not know: its bytes come
  /// at once, where a person typing Esc then `[` cannot, and must not reach the UI as keys
  /// (`[4~` typed into a filter after an Esc that left the image).
  private func escapeOrSequence() -> KeyEvent? {
    guard let window else { return .special(.escape) }
    wtimeout(window, 0)
    var value: wint_t = 0
    guard wget_wch(window, &value) == OK else { return .special(.escape) }
    guard value == 0x5B || value == 0x4F else {
      // Alt and a key: Esc, then the key on the next read.
      unget_wch(wchar_t(bitPattern: value))
      return .special(.escape)
    }
    // CSI ends with a byte in 0x40...0x7E; SS3 (`O`) with the one character after it.
    var count = 0
    while count < 32, wget_wch(window, &value) == OK {
      count += 1
      if value == 0x5B && count == 1 { continue }
      if (0x40...0x7E).contains(value) { break }
    }
    return nil
  }

  private func keyEvent(code: Int32) -> KeyEvent? {
    switch code {
    case KEY_UP: return .special(.up)
    case KEY_DOWN: return .special(.down)
    case KEY_LEFT: return .special(.left)
    case KEY_RIGHT: return .special(.right)
    case KEY_PPAGE: return .special(.pageUp)
    case KEY_NPAGE: return .special(.pageDown)
    case KEY_HOME: return .special(.home)
    case KEY_END: return .special(.end)
    case KEY_ENTER: return .special(.enter)
    case KEY_BACKSPACE: return .special(.backspace)
    case KEY_DC: return .special(.delete)
    case KEY_BTAB: return .special(.backTab)
    case CursesConstants.functionKey(1): return .character("?")
    case KEY_RESIZE:
      let (width, height) = size
      return .resize(width: width, height: height)
    case KEY_MOUSE:
      var event = MEVENT()
      guard getmouse(&event) == OK else { return nil }
      let state = event.bstate
      let action: MouseEvent.Action
      if state & (CursesConstants.button1Pressed | CursesConstants.button1Clicked) != 0 {
        action = .press
      } else if state & CursesConstants.button4Pressed != 0 {
        action = .wheelUp
      } else if state & CursesConstants.button5Pressed != 0 {
        action = .wheelDown
      } else {
        return nil
      }
      return .mouse(MouseEvent(action, x: Int(event.x), y: Int(event.y)))
    default:
      return nil
    }
  }
}

/// The C library's `wcwidth`, which Glibc's Swift module does not export.
@_silgen_name("wcwidth")
private func systemWidth(_ character: wchar_t) -> Int32
