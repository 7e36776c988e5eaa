import LayerCore

/// A set of tree nodes as one bit per node: cheap to fill, clear and test for a million nodes.
struct NodeSet: Sendable {
  private var words: [UInt64]

  /// An empty set for a tree of `count` nodes.
  init(count: Int) {
    words = Array(repeating: 0, count: (count + 63) / 64)
  }

  func contains(_ node: NodeIndex) -> Bool {
    let index = Int(node)
    return words[index >> 6] & (1 << UInt64(index & 63)) != 0
  }

  /// Adds a node; returns false when it was already there.
  @discardableResult
  mutating func insert(_ node: NodeIndex) -> Bool {
    let index = Int(node)
    let bit: UInt64 = 1 << UInt64(index & 63)
    if words[index >> 6] & bit != 0 { return false }
    words[index >> 6] |= bit
    return true
  }
}
