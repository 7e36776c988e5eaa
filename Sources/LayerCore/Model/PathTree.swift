/// The index of a node in a ``PathTree``; the root is 0.
public typealias NodeIndex = Int32

/// One node per distinct path across all layers of an image, names interned in one buffer.
///
/// Nodes are created parent first, so a parent's index is always smaller than its children's:
/// a forward pass over `0 ..< count` visits parents before children.
/// There is no object and no dictionary per path; everything else refers to nodes by index.
public struct PathTree: Sendable {
  /// The root node, the image's `/`.
  public static let root: NodeIndex = 0

  private(set) var parents: [NodeIndex] = [-1]
  private(set) var nameStarts: [Int32] = [0]
  private(set) var nameLengths: [UInt16] = [0]
  private(set) var names: [UInt8] = []
  private var table: [NodeIndex] = Array(repeating: -1, count: 1 << 10)
  private var hashes: [UInt32] = [0]
  /// Children of each node, sorted by name bytes, filled by ``finish()``.
  private(set) var childStarts: [Int32] = []
  private(set) var childList: [NodeIndex] = []
  /// Maximum path depth; the root is depth 0.
  private(set) var depths: [UInt16] = [0]

  public init() {}

  /// The number of nodes, the root included.
  public var count: Int { parents.count }

  /// The parent of `node`, or -1 for the root.
  public func parent(of node: NodeIndex) -> NodeIndex { parents[Int(node)] }

  /// The depth of `node`: 0 for the root, 1 for its children.
  public func depth(of node: NodeIndex) -> Int { Int(depths[Int(node)]) }

  /// The name bytes of `node` (empty for the root).
  public func name(of node: NodeIndex) -> ArraySlice<UInt8> {
    let start = Int(nameStarts[Int(node)])
    return names[start..<start + Int(nameLengths[Int(node)])]
  }

  /// The children of `node`, sorted by name bytes. Valid once the tree is finished.
  public func children(of node: NodeIndex) -> ArraySlice<NodeIndex> {
    childList[Int(childStarts[Int(node)])..<Int(childStarts[Int(node) + 1])]
  }

  /// The absolute path of `node` as bytes, starting with `/`.
  ///
  /// - Complexity: O(depth).
  public func path(of node: NodeIndex) -> [UInt8] {
    var out: [UInt8] = []
    appendPath(of: node, to: &out)
    return out
  }

  /// Appends the absolute path of `node` to `buffer`.
  public func appendPath(of node: NodeIndex, to buffer: inout [UInt8]) {
    if node == Self.root {
      buffer.append(UInt8(ascii: "/"))
      return
    }
    var chain: [NodeIndex] = []
    var current = node
    while current != Self.root {
      chain.append(current)
      current = parents[Int(current)]
    }
    for element in chain.reversed() {
      buffer.append(UInt8(ascii: "/"))
      buffer.append(contentsOf: name(of: element))
    }
  }

  /// Whether `ancestor` is `node` or one of its ancestors.
  public func isAncestor(_ ancestor: NodeIndex, of node: NodeIndex) -> Bool {
    var current = node
    let target = depths[Int(ancestor)]
    while depths[Int(current)] > target { current = parents[Int(current)] }
    return current == ancestor
  }

  /// Finds the node for a clean relative path, or nil when no layer has it.
  public func lookup(_ path: some Collection<UInt8>) -> NodeIndex? {
    var node = Self.root
    for component in path.split(separator: UInt8(ascii: "/")) {
      guard let child = find(parent: node, name: component) else { return nil }
      node = child
    }
    return node
  }

  // MARK: - Building

  /// Returns the node for a clean relative path, creating it and its parents as needed.
  ///
  /// `hint` is a node known to be an ancestor of the path together with the byte count of its
  /// path prefix; consecutive tar entries usually share a directory, so this skips most lookups.
  mutating func intern(
    _ path: ArraySlice<UInt8>, from start: NodeIndex = root,
    skipping prefixLength: Int = 0
  ) -> NodeIndex {
    var node = start
    var index = path.startIndex + prefixLength
    let end = path.endIndex
    while index < end {
      var stop = index
      while stop < end && path[stop] != UInt8(ascii: "/") { stop += 1 }
      if stop > index { node = child(of: node, named: path[index..<stop]) }
      index = stop + 1
    }
    return node
  }

  private func hash(parent: NodeIndex, name: some Collection<UInt8>) -> UInt32 {
    var value: UInt32 = 2_166_136_261 ^ UInt32(bitPattern: parent &* 16_777_619)
    for byte in name { value = (value ^ UInt32(byte)) &* 16_777_619 }
    return value
  }

  private func find(parent: NodeIndex, name: some Collection<UInt8>) -> NodeIndex? {
    let h = hash(parent: parent, name: name)
    let mask = table.count - 1
    var slot = Int(h) & mask
    while true {
      let candidate = table[slot]
      if candidate < 0 { return nil }
      if hashes[Int(candidate)] == h && parents[Int(candidate)] == parent
        && self.name(of: candidate).elementsEqual(name)
      {
        return candidate
      }
      slot = (slot + 1) & mask
    }
  }

  private mutating func child(of parent: NodeIndex, named name: ArraySlice<UInt8>) -> NodeIndex {
    let h = hash(parent: parent, name: name)
    var mask = table.count - 1
    var slot = Int(h) & mask
    while true {
      let candidate = table[slot]
      if candidate < 0 { break }
      if hashes[Int(candidate)] == h && parents[Int(candidate)] == parent
        && self.name(of: candidate).elementsEqual(name)
      {
        return candidate
      }
      slot = (slot + 1) & mask
    }
    let node = NodeIndex(parents.count)
    parents.append(parent)
    nameStarts.append(Int32(names.count))
    nameLengths.append(UInt16(truncatingIfNeeded: min(name.count, Int(UInt16.max))))
    names.append(contentsOf: name.prefix(Int(UInt16.max)))
    hashes.append(h)
    depths.append(depths[Int(parent)] &+ 1)
    if parents.count * 2 > table.count {
      grow()
      mask = table.count - 1
      slot = Int(h) & mask
      while table[slot] >= 0 { slot = (slot + 1) & mask }
    }
    table[slot] = node
    return node
  }

  private mutating func grow() {
    var bigger = [NodeIndex](repeating: -1, count: table.count * 2)
    let mask = bigger.count - 1
    for node in 1..<(parents.count - 1) {
      var slot = Int(hashes[node]) & mask
      while bigger[slot] >= 0 { slot = (slot + 1) & mask }
      bigger[slot] = NodeIndex(node)
    }
    table = bigger
  }

  /// Builds the sorted child lists and drops the lookup-only hashes' spare capacity.
  ///
  /// - Complexity: O(n log n) in the number of nodes.
  mutating func finish() {
    var counts = [Int32](repeating: 0, count: count + 1)
    for node in 1..<count { counts[Int(parents[node]) + 1] += 1 }
    for index in 1...count { counts[index] += counts[index - 1] }
    childStarts = counts
    var fill = counts
    var list = [NodeIndex](repeating: 0, count: max(0, count - 1))
    for node in 1..<count {
      let parent = Int(parents[node])
      list[Int(fill[parent])] = NodeIndex(node)
      fill[parent] += 1
    }
    names.withUnsafeBufferPointer { bytes in
      for parent in 0..<count {
        let range = Int(counts[parent])..<Int(counts[parent + 1])
        if range.count < 2 { continue }
        list[range].sort { left, right in
          let l = bytes[
            Int(nameStarts[Int(left)])..<Int(nameStarts[Int(left)])
              + Int(nameLengths[Int(left)])]
          let r = bytes[
            Int(nameStarts[Int(right)])..<Int(nameStarts[Int(right)])
              + Int(nameLengths[Int(right)])]
          return l.lexicographicallyPrecedes(r)
        }
      }
    }
    childList = list
  }
}
