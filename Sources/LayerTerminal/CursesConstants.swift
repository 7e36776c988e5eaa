@preconcurrency internal import CCurses

/// ncurses values that its header defines as macros Swift cannot import, computed the way the
/// header does for ncurses 6 (attribute shift 8, mouse version 2).
enum CursesConstants {
  static let underline = attr_t(1) << 17
  static let reverse = attr_t(1) << 18
  static let dim = attr_t(1) << 20
  static let bold = attr_t(1) << 21

  /// Mouse masks: each button has five bits (released, pressed, clicked, double, triple).
  static let button1Pressed = mmask_t(2)
  static let button1Clicked = mmask_t(4)
  static let button4Pressed = mmask_t(2) << 15
  static let button5Pressed = mmask_t(2) << 20

  /// `KEY_F(n)`.
  static func functionKey(_ number: Int32) -> Int32 { KEY_F0 + number }
}
