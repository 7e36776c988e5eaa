/// Which entries the file tree shows for the selected layer, and against what they are marked.
public enum TreeViewMode: Sendable, Equatable, CaseIterable {
  /// The merged filesystem at the selected layer, marked with that layer's own changes; what
  /// the layer removed shows too. dive's default (Ctrl-L).
  case merged
  /// The merged filesystem at the selected layer, marked with what every layer above the base
  /// layer up to the selected one changed, against the base layer (dive's Ctrl-A).
  case aggregated
  /// Only what the selected layer changed, with the directories that lead to it.
  case layerChanges

  /// The name the title and the tree header use.
  public var name: String {
    switch self {
    case .merged: "merged"
    case .aggregated: "aggregated"
    case .layerChanges: "layer only"
    }
  }

  /// The next mode in the cycle of the `v` key.
  public var next: TreeViewMode {
    switch self {
    case .merged: .aggregated
    case .aggregated: .layerChanges
    case .layerChanges: .merged
    }
  }
}
