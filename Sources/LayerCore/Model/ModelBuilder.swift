/// A path whose facts tie between two layers, so only its content can tell whether it changed.
struct ContentCandidate: Sendable {
  var layer: Int
  var node: NodeIndex
  var lower: RecordIndex
  var upper: RecordIndex
}

/// Builds the model from layer scans, bottom layer first, one delta per layer.
///
/// The builder keeps the merged view of the layers applied so far (`visible`), with the size of
/// each visible subtree, and compares each layer against it. Nothing is rebuilt per layer; a
/// removal walks only the subtree it removes.
struct ModelBuilder {
  private(set) var tree = PathTree()
  private(set) var records = RecordStore()
  /// Per node: the newest record in any layer applied so far, or -1.
  private(set) var latest: [RecordIndex] = [-1]
  /// Per node: the record visible in the merged view, or -1. The root is always visible.
  private var visible: [RecordIndex] = [-1]
  /// Per node: bytes of the visible subtree (the node's own size included).
  private var subtree: [Int64] = [0]
  /// Per node: the first and next child in creation order, for subtree walks while building.
  private var firstChild: [NodeIndex] = [-1]
  private var nextSibling: [NodeIndex] = [-1]
  /// Per node: layer stamps (layer + 1) and the record visible before the current layer.
  private var touchedIn: [Int32] = [0]
  private var entryIn: [Int32] = [0]
  private var entryBelowIn: [Int32] = [0]
  private var countedIn: [Int32] = [0]
  private var parentIn: [Int32] = [0]
  private var visibleBefore: [RecordIndex] = [-1]
  private var touched: [NodeIndex] = []

  private(set) var changes: [LayerChanges] = []
  private(set) var candidates: [ContentCandidate] = []
  private(set) var usage = PathUsage()

  init() {}

  // MARK: - Interning

  private mutating func growNodeArrays() {
    let count = tree.count
    let old = latest.count
    guard count > old else { return }
    let extra = count - old
    latest.append(contentsOf: repeatElement(-1, count: extra))
    visible.append(contentsOf: repeatElement(-1, count: extra))
    subtree.append(contentsOf: repeatElement(0, count: extra))
    firstChild.append(contentsOf: repeatElement(-1, count: extra))
    nextSibling.append(contentsOf: repeatElement(-1, count: extra))
    touchedIn.append(contentsOf: repeatElement(0, count: extra))
    entryIn.append(contentsOf: repeatElement(0, count: extra))
    entryBelowIn.append(contentsOf: repeatElement(0, count: extra))
    countedIn.append(contentsOf: repeatElement(0, count: extra))
    parentIn.append(contentsOf: repeatElement(0, count: extra))
    visibleBefore.append(contentsOf: repeatElement(-1, count: extra))
    usage.grow(to: count)
    for node in old..<count {
      let parent = Int(tree.parent(of: NodeIndex(node)))
      nextSibling[node] = firstChild[parent]
      firstChild[parent] = NodeIndex(node)
    }
  }

  /// Interns every path of a scan, reusing the previous entry's directory when it repeats.
  private mutating func intern(_ scan: LayerScan) -> [NodeIndex] {
    var nodes = [NodeIndex](repeating: 0, count: scan.count)
    var lastDirectory: ArraySlice<UInt8> = []
    var lastDirectoryNode = PathTree.root
    for index in 0..<scan.count {
      let path = scan.path(at: index)
      let slash = path.lastIndex(of: UInt8(ascii: "/"))
      let directory = path[path.startIndex..<(slash ?? path.startIndex)]
      if !directory.elementsEqual(lastDirectory) {
        lastDirectoryNode = tree.intern(directory)
        lastDirectory = directory
      }
      let nameStart = slash.map { $0 + 1 } ?? path.startIndex
      nodes[index] = tree.intern(path[nameStart...], from: lastDirectoryNode)
    }
    growNodeArrays()
    return nodes
  }

  // MARK: - Applying a layer

  /// Applies one layer on top of those applied so far.
  mutating func apply(_ scan: LayerScan, layer: Int) {
    let stamp = Int32(layer + 1)
    let nodes = intern(scan)
    records.reserve(scan.count)
    touched.removeAll(keepingCapacity: true)

    // Which nodes this layer lists, which have listed entries below them, and which are not
    // leaves of the layer's own tree (a whiteout is a child there too; an opaque marker is not).
    for (index, node) in nodes.enumerated() where scan.kinds[index] != .opaqueMarker {
      let isEntry = scan.kinds[index] != .whiteout
      if isEntry { entryIn[Int(node)] = stamp }
      var parent = tree.parent(of: node)
      while parent >= 0
        && (parentIn[Int(parent)] != stamp
          || (isEntry && entryBelowIn[Int(parent)] != stamp))
      {
        parentIn[Int(parent)] = stamp
        if isEntry { entryBelowIn[Int(parent)] = stamp }
        parent = tree.parent(of: parent)
      }
    }

    // Removals see the layers below only, whatever their position in the tar. A whiteout of a
    // path this same layer fills again is an opaque directory in effect.
    var whiteouts: [(node: NodeIndex, hidden: Int64, index: Int)] = []
    var opaques: [(node: NodeIndex, hidden: Int64)] = []
    for (index, node) in nodes.enumerated() {
      switch scan.kinds[index] {
      case .whiteout:
        let refilled = entryIn[Int(node)] == stamp || entryBelowIn[Int(node)] == stamp
        if refilled {
          opaques.append((node, hiddenChildrenSize(of: node)))
        } else {
          whiteouts.append((node, hiddenSize(ofWhiteout: node), index))
        }
      case .opaqueMarker:
        opaques.append((node, hiddenChildrenSize(of: node)))
      default:
        continue
      }
    }
    for (node, hidden, index) in whiteouts {
      touch(node, stamp: stamp)
      if visible[Int(node)] >= 0 { removeSubtree(node, stamp: stamp) }
      _ = addRecord(
        node: node, layer: layer, kind: .whiteout, flags: 0, mode: 0, uid: 0, gid: 0, size: 0,
        link: [], stamp: stamp)
      countOnce(node, layer: layer, size: hidden + scan.sizes[index], stamp: stamp)
    }
    for (node, _) in opaques {
      touch(node, stamp: stamp)
      removeChildren(of: node, stamp: stamp)
    }

    // Entries, in tar order: a later duplicate replaces an earlier one.
    for (index, node) in nodes.enumerated() where !scan.kinds[index].isRemoval {
      let kind = scan.kinds[index]
      if node == PathTree.root { continue }
      ensureDirectory(tree.parent(of: node), layer: layer, stamp: stamp)
      touch(node, stamp: stamp)
      let old = visible[Int(node)]
      if old >= 0 && records.isDirectory(old) && kind != .directory {
        removeChildren(of: node, stamp: stamp)
      }
      let record = addRecord(
        node: node, layer: layer, kind: kind, flags: 0, mode: scan.modes[index],
        uid: scan.uids[index], gid: scan.gids[index], size: scan.sizes[index],
        link: scan.link(at: index), stamp: stamp)
      show(record, at: node)
    }

    // Opaque markers live on the directory's record of this layer.
    for (node, hidden) in opaques {
      if node == PathTree.root {
        countOnce(node, layer: layer, size: hidden, stamp: stamp)
        continue
      }
      var record = latest[Int(node)]
      if record < 0 || Int(records.layers[Int(record)]) != layer || !records.isDirectory(record) {
        ensureDirectory(tree.parent(of: node), layer: layer, stamp: stamp)
        record = addRecord(
          node: node, layer: layer, kind: .directory, flags: RecordStore.implicitFlag,
          mode: 0o755, uid: 0, gid: 0, size: 0, link: [], stamp: stamp)
        show(record, at: node)
      }
      records.flags[Int(record)] |= RecordStore.opaqueFlag
      countOnce(node, layer: layer, size: hidden + records.sizes[Int(record)], stamp: stamp)
    }

    // dive's figures count each leaf of the layer's own tree once, with its final size.
    for (index, node) in nodes.enumerated() where !scan.kinds[index].isRemoval {
      let record = latest[Int(node)]
      guard record >= 0, Int(records.layers[Int(record)]) == layer, !records.isOpaque(record),
        parentIn[Int(node)] != stamp, node != PathTree.root
      else { continue }
      countOnce(node, layer: layer, size: records.sizes[Int(record)], stamp: stamp)
    }

    changes.append(collectChanges(layer: layer))
  }

  /// Adds one appearance of `node` to dive's figures, once per layer.
  private mutating func countOnce(_ node: NodeIndex, layer: Int, size: Int64, stamp: Int32) {
    guard countedIn[Int(node)] != stamp else { return }
    countedIn[Int(node)] = stamp
    usage.count(node: node, size: size)
  }

  /// Size a whiteout of `node` hides, as dive counts it: a directory's whole subtree, else 0.
  private func hiddenSize(ofWhiteout node: NodeIndex) -> Int64 {
    let record = visible[Int(node)]
    guard record >= 0, records.isDirectory(record) else { return 0 }
    return subtree[Int(node)]
  }

  /// Size of everything below `node` in the merged view.
  private func hiddenChildrenSize(of node: NodeIndex) -> Int64 {
    if node == PathTree.root { return subtree[0] }
    let record = visible[Int(node)]
    guard record >= 0, records.isDirectory(record) else { return 0 }
    return subtree[Int(node)] - records.sizes[Int(record)]
  }

  private mutating func addRecord(
    node: NodeIndex, layer: Int, kind: EntryKind, flags: UInt8, mode: UInt32, uid: UInt32,
    gid: UInt32, size: Int64, link: ArraySlice<UInt8>, stamp: Int32
  ) -> RecordIndex {
    var below = latest[Int(node)]
    if below >= 0 && Int(records.layers[Int(below)]) == layer {
      // A duplicate in one layer: the later entry wins and the earlier one leaves the chain.
      below = records.below[Int(below)]
    }
    let record = records.append(
      node: node, layer: layer, kind: kind, flags: flags, mode: mode, uid: uid, gid: gid,
      size: size, link: link, below: below)
    latest[Int(node)] = record
    return record
  }

  /// Makes `record` the visible one at `node`, keeping subtree sizes right.
  private mutating func show(_ record: RecordIndex, at node: NodeIndex) {
    let old = visible[Int(node)]
    let delta = records.sizes[Int(record)] - (old >= 0 ? records.sizes[Int(old)] : 0)
    if old < 0 { subtree[Int(node)] = 0 }
    visible[Int(node)] = record
    addSize(delta, from: node)
  }

  private mutating func addSize(_ delta: Int64, from node: NodeIndex) {
    guard delta != 0 else { return }
    var current = node
    while current >= 0 {
      subtree[Int(current)] += delta
      current = tree.parent(of: current)
    }
  }

  private mutating func touch(_ node: NodeIndex, stamp: Int32) {
    guard touchedIn[Int(node)] != stamp else { return }
    touchedIn[Int(node)] = stamp
    visibleBefore[Int(node)] = visible[Int(node)]
    touched.append(node)
  }

  /// Makes sure `node` is a visible directory, adding an implicit record when the layer lists
  /// something below a path that is missing or not a directory underneath.
  private mutating func ensureDirectory(_ node: NodeIndex, layer: Int, stamp: Int32) {
    if node == PathTree.root { return }
    let current = visible[Int(node)]
    if current >= 0 && records.isDirectory(current) { return }
    ensureDirectory(tree.parent(of: node), layer: layer, stamp: stamp)
    touch(node, stamp: stamp)
    let record = addRecord(
      node: node, layer: layer, kind: .directory, flags: RecordStore.implicitFlag, mode: 0o755,
      uid: 0, gid: 0, size: 0, link: [], stamp: stamp)
    show(record, at: node)
  }

  /// Hides `node` and its visible subtree.
  private mutating func removeSubtree(_ node: NodeIndex, stamp: Int32) {
    removeChildren(of: node, stamp: stamp)
    touch(node, stamp: stamp)
    let size = subtree[Int(node)]
    visible[Int(node)] = -1
    subtree[Int(node)] = 0
    addSize(-size, from: tree.parent(of: node))
  }

  /// Hides every visible child of `node` and their subtrees.
  private mutating func removeChildren(of node: NodeIndex, stamp: Int32) {
    var stack: [NodeIndex] = []
    var child = firstChild[Int(node)]
    while child >= 0 {
      if visible[Int(child)] >= 0 { stack.append(child) }
      child = nextSibling[Int(child)]
    }
    guard !stack.isEmpty else { return }
    var removed: Int64 = 0
    for top in stack { removed += subtree[Int(top)] }
    while let current = stack.popLast() {
      touch(current, stamp: stamp)
      visible[Int(current)] = -1
      subtree[Int(current)] = 0
      var grandchild = firstChild[Int(current)]
      while grandchild >= 0 {
        if visible[Int(grandchild)] >= 0 { stack.append(grandchild) }
        grandchild = nextSibling[Int(grandchild)]
      }
    }
    subtree[Int(node)] -= removed
    addSize(-removed, from: tree.parent(of: node))
  }

  /// Compares each touched node's view before and after the layer.
  private mutating func collectChanges(layer: Int) -> LayerChanges {
    var result = LayerChanges()
    for node in touched {
      let before = visibleBefore[Int(node)]
      let after = visible[Int(node)]
      switch (before >= 0, after >= 0) {
      case (false, true): result.append(node, .added)
      case (true, false): result.append(node, .removed)
      case (true, true) where before != after:
        if !records.sameFacts(before, after) {
          result.append(node, .modified)
        } else if records.kinds[Int(after)] == .regular && records.sizes[Int(after)] > 0 {
          candidates.append(ContentCandidate(layer: layer, node: node, lower: before, upper: after))
        }
      default: continue
      }
    }
    return result
  }

  // MARK: - Finishing

  /// Records the content comparisons that found a difference as modifications.
  mutating func resolve(contentChanged: [ContentCandidate]) {
    for candidate in contentChanged {
      changes[candidate.layer].append(candidate.node, .modified)
    }
  }

  /// Hands over the finished parts.
  mutating func finish() -> (PathTree, RecordStore, [RecordIndex], [RecordIndex]) {
    tree.finish()
    return (tree, records, latest, visible)
  }
}
