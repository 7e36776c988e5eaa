/// What a key asks the UI to do, once the key map has read it.
public enum KeyCommand: Sendable, Equatable {
  case quit
  case switchPane
  case showHelp
  /// Shows the selected layer's and the image's details at full width (``DetailsScreen``).
  case showDetails
  /// Closes what is open: help, the image (back to the picker), a prompt.
  case goBack
  case moveUp
  case moveDown
  case pageUp
  case pageDown
  case moveToFirst
  case moveToLast
  /// Collapses the selected directory, or selects its parent.
  case collapseOrSelectParent
  /// Expands the selected directory, or selects its first child; in the layer list, focuses
  /// the file tree.
  case expandOrSelectChild
  case toggleCollapse
  case toggleCollapseAll
  case collapseAll
  case expandAll
  case startSearch
  case nextMatch
  case previousMatch
  case startFilter
  /// Hides or shows the entries with one change mark.
  case toggleHidden(ChangeMark)
  case toggleSort
  case toggleAttributes
  case cycleView
  case showView(TreeViewMode)
}

/// The pane that has the keyboard.
public enum PaneFocus: Sendable, Equatable {
  case layers
  case tree
}
