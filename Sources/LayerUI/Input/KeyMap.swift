/// One line of the key map: the keys, where they work, what they do and how help names them.
public struct KeyBinding: Sendable {
  /// Where a binding works.
  public enum Scope: Sendable, Equatable {
    case everywhere
    case layers
    case tree
  }

  /// How help and the footer write the keys, e.g. `j ↓`.
  public var label: String
  public var events: [KeyEvent]
  public var scope: Scope
  public var command: KeyCommand
  /// What the keys do, for the help screen.
  public var summary: String
  /// The short word the footer shows, or nil to leave the binding out of the footer.
  public var footer: String?
}

/// Every key binding of the image screen, in the order help lists them.
///
/// dive's defaults work too (Ctrl-L, Ctrl-A, Ctrl-F, Ctrl-Space, Ctrl-O, Ctrl-B, Ctrl-R,
/// Ctrl-U), with the same meaning in the same pane. dive's Ctrl-M cannot be told from Enter
/// by a terminal, so `m` hides modified entries instead.
public enum KeyMap {
  public static let bindings: [KeyBinding] = [
    bind("q ^C", [.character("q"), .ctrl("c")], .everywhere, .quit, "Quit", footer: "quit"),
    bind(
      "Tab", [.special(.tab), .special(.backTab)], .everywhere, .switchPane,
      "Switch between the layer list and the file tree", footer: "pane"),
    bind("?", [.character("?")], .everywhere, .showHelp, "Show all keys", footer: "help"),
    bind(
      "d", [.character("d")], .everywhere, .showDetails,
      "The layer's and the image's details in full: the whole command", footer: "details"),
    bind(
      "Esc", [.special(.escape)], .everywhere, .goBack, "Back to the image list",
      footer: "images"),
    bind("k ↑", [.character("k"), .special(.up)], .everywhere, .moveUp, "Move up"),
    bind("j ↓", [.character("j"), .special(.down)], .everywhere, .moveDown, "Move down"),
    bind("PgUp", [.special(.pageUp)], .everywhere, .pageUp, "Page up"),
    bind("PgDn", [.special(.pageDown)], .everywhere, .pageDown, "Page down"),
    bind("g Home", [.character("g"), .special(.home)], .everywhere, .moveToFirst, "First row"),
    bind("G End", [.character("G"), .special(.end)], .everywhere, .moveToLast, "Last row"),
    bind(
      "v", [.character("v")], .everywhere, .cycleView,
      "Next tree view: merged, aggregated, layer only", footer: "view"),
    bind(
      "f ^F", [.character("f"), .ctrl("f")], .everywhere, .startFilter,
      "Filter paths by a regular expression", footer: "filter"),
    bind(
      "^L", [.ctrl("l")], .layers, .showView(.merged),
      "Merged tree with this layer's changes (dive: layer changes)", footer: "merged"),
    bind(
      "^A", [.ctrl("a")], .layers, .showView(.aggregated),
      "Changes of every layer up to this one (dive: aggregated)", footer: "aggr"),
    bind(
      "c", [.character("c")], .layers, .showView(.layerChanges),
      "Only this layer's own changes", footer: "own"),
    bind(
      "l →", [.character("l"), .special(.right)], .layers, .expandOrSelectChild,
      "Go to the file tree"),
    bind(
      "Space ⏎", [.character(" "), .special(.enter)], .tree, .toggleCollapse,
      "Collapse or expand the directory", footer: "fold"),
    bind(
      "h ←", [.character("h"), .special(.left)], .tree, .collapseOrSelectParent,
      "Collapse, or go to the parent"),
    bind(
      "l →", [.character("l"), .special(.right)], .tree, .expandOrSelectChild,
      "Expand, or go to the first child"),
    bind(
      "z ^Space", [.character("z"), .control(0)], .tree, .toggleCollapseAll,
      "Collapse or expand all directories"),
    bind("[", [.character("[")], .tree, .collapseAll, "Collapse all directories"),
    bind("]", [.character("]")], .tree, .expandAll, "Expand all directories"),
    bind("/", [.character("/")], .tree, .startSearch, "Search names", footer: "search"),
    bind("n", [.character("n")], .tree, .nextMatch, "Next match"),
    bind("N", [.character("N")], .tree, .previousMatch, "Previous match"),
    bind(
      "a ^A", [.character("a"), .ctrl("a")], .tree, .toggleHidden(.added),
      "Hide or show added entries"),
    bind(
      "r ^R", [.character("r"), .ctrl("r")], .tree, .toggleHidden(.removed),
      "Hide or show removed entries"),
    bind(
      "m", [.character("m")], .tree, .toggleHidden(.modified),
      "Hide or show modified entries"),
    bind(
      "u ^U", [.character("u"), .ctrl("u")], .tree, .toggleHidden(.unchanged),
      "Hide or show unchanged entries", footer: "changes"),
    bind(
      "s ^O", [.character("s"), .ctrl("o")], .tree, .toggleSort,
      "Sort by name or by size (largest first)", footer: "sort"),
    bind(
      "b ^B", [.character("b"), .ctrl("b")], .tree, .toggleAttributes,
      "Show or hide permissions, owner and size"),
  ]

  /// The command a key gives in a pane, if any.
  public static func command(for event: KeyEvent, focus: PaneFocus) -> KeyCommand? {
    let scope: KeyBinding.Scope = focus == .layers ? .layers : .tree
    for binding in bindings where binding.scope == scope && binding.events.contains(event) {
      return binding.command
    }
    for binding in bindings where binding.scope == .everywhere && binding.events.contains(event) {
      return binding.command
    }
    return nil
  }

  /// The bindings shown in the footer for a pane: help first, the pane's own keys, the
  /// shared ones, quit last, in an order that fits 80 columns. With `hasImageList`, Esc (back
  /// to the list of images) takes the place of a less needed key.
  public static func footerBindings(
    for focus: PaneFocus, hasImageList: Bool = false
  ) -> [KeyBinding] {
    let scope: KeyBinding.Scope = focus == .layers ? .layers : .tree
    let commands: [KeyCommand] =
      switch focus {
      case .layers:
        [
          .showHelp, .showView(.merged), .showView(.aggregated), .showView(.layerChanges),
          .showDetails, .switchPane,
        ]
          + (hasImageList ? [.goBack] : [.cycleView, .startFilter]) + [.quit]
      case .tree:
        [
          .showHelp, .toggleCollapse, .startSearch, .startFilter, .toggleHidden(.unchanged),
          hasImageList ? .goBack : .toggleSort, .switchPane, .quit,
        ]
      }
    return commands.compactMap { command in
      bindings.first {
        $0.command == command && $0.footer != nil && ($0.scope == scope || $0.scope == .everywhere)
      }
    }
  }

  private static func bind(
    _ label: String, _ events: [KeyEvent], _ scope: KeyBinding.Scope, _ command: KeyCommand,
    _ summary: String, footer: String? = nil
  ) -> KeyBinding {
    KeyBinding(
      label: label, events: events, scope: scope, command: command, summary: summary,
      footer: footer)
  }
}
