/// A line the user is typing in the footer: a search or a filter.
struct Prompt {
  /// What the typed text is for.
  enum Purpose: Equatable {
    /// `/`: names to search for; applied on Enter.
    case search
    /// `f`: a path pattern, applied as it is typed; Esc puts back `previous`.
    case filter(previous: String)
  }

  var purpose: Purpose
  var text: String
  /// A problem with the text so far, such as an invalid pattern.
  var problem: String?

  var label: String {
    switch purpose {
    case .search: "Search: "
    case .filter: "Filter (regex): "
    }
  }

  var note: String {
    if let problem { return problem }
    switch purpose {
    case .search: return "⏎ find · Esc cancel"
    case .filter: return "⏎ keep · Esc cancel · empty clears"
    }
  }
}
