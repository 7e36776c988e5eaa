/// The merged filesystem at one layer: for each path, the record that shows, and the size of
/// each visible subtree.
public struct MergedView: Sendable {
  /// The layer this view looks from (it and all below).
  public let layer: Int
  private let visible: [RecordIndex]
  private let sizes: [Int64]

  /// The record that shows at `node`, or nil when the path is absent at this layer.
  /// The root has no record but is always present.
  public func record(of node: NodeIndex) -> RecordIndex? {
    let record = visible[Int(node)]
    return record >= 0 ? record : nil
  }

  /// Whether `node` exists at this layer.
  public func contains(_ node: NodeIndex) -> Bool {
    node == PathTree.root || visible[Int(node)] >= 0
  }

  /// Bytes of the visible subtree at `node` (its own size included).
  public func size(of node: NodeIndex) -> Int64 { sizes[Int(node)] }

  /// Builds the view in two linear passes: parents first for visibility, children first for
  /// sizes. Nodes are numbered parent first, which is what makes one pass enough.
  ///
  /// - Complexity: O(paths + records of each path above `layer`).
  static func make(
    layer: Int, tree: PathTree, records: RecordStore, latest: [RecordIndex], rootOpaque: [Bool]
  ) -> MergedView {
    let count = tree.count
    var visible = [RecordIndex](repeating: -1, count: count)
    var sizes = [Int64](repeating: 0, count: count)
    // A child written at layer l survives its ancestors' removals when 2*l >= cut: an opaque
    // marker at layer m sets cut 2m (same-layer entries survive), a whiteout or a non-directory
    // at m sets 2m+2.
    var cut = [Int32](repeating: 0, count: count)
    if layer >= 0, let top = rootOpaque[...layer].lastIndex(of: true) { cut[0] = Int32(2 * top) }
    var alive = [Bool](repeating: false, count: count)
    alive[0] = true
    for index in 1..<max(1, count) {
      let parent = Int(tree.parents[index])
      guard alive[parent] else { continue }
      var record = latest[index]
      while record >= 0 && Int(records.layers[Int(record)]) > layer {
        record = records.below[Int(record)]
      }
      guard record >= 0 else { continue }
      let recordLayer = Int32(records.layers[Int(record)])
      guard 2 * recordLayer >= cut[parent], records.kinds[Int(record)] != .whiteout else {
        continue
      }
      visible[index] = record
      alive[index] = true
      var ownCut = cut[parent]
      var older = record
      while older >= 0 {
        let olderLayer = Int32(records.layers[Int(older)])
        let kind = records.kinds[Int(older)]
        if kind != .directory {
          ownCut = max(ownCut, 2 * olderLayer + 2)
          break
        }
        if records.isOpaque(older) {
          ownCut = max(ownCut, 2 * olderLayer)
          break
        }
        older = records.below[Int(older)]
      }
      cut[index] = ownCut
      sizes[index] = records.sizes[Int(record)]
    }
    for index in stride(from: count - 1, to: 0, by: -1) where alive[index] {
      sizes[Int(tree.parents[index])] += sizes[index]
    }
    return MergedView(layer: layer, visible: visible, sizes: sizes)
  }
}
