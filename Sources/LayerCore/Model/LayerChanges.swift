/// The paths one layer changed, in the order the layer touched them.
public struct LayerChanges: Sendable {
  public private(set) var nodes: [NodeIndex] = []
  public private(set) var kinds: [ChangeKind] = []

  public init() {}

  /// The number of changed paths.
  public var count: Int { nodes.count }

  mutating func append(_ node: NodeIndex, _ kind: ChangeKind) {
    nodes.append(node)
    kinds.append(kind)
  }

  /// How many paths changed in the given way.
  public func count(of kind: ChangeKind) -> Int { kinds.lazy.filter { $0 == kind }.count }
}

/// Per path, the sizes dive would tally: one size for each layer the path appears in.
struct PathUsage: Sendable {
  var minimum: [Int64] = [0]
  var total: [Int64] = [0]
  var layerCount: [UInt16] = [0]

  mutating func grow(to count: Int) {
    let extra = count - minimum.count
    guard extra > 0 else { return }
    minimum.append(contentsOf: repeatElement(0, count: extra))
    total.append(contentsOf: repeatElement(0, count: extra))
    layerCount.append(contentsOf: repeatElement(0, count: extra))
  }

  mutating func count(node: NodeIndex, size: Int64) {
    let index = Int(node)
    minimum[index] = layerCount[index] == 0 ? size : min(minimum[index], size)
    total[index] += size
    layerCount[index] &+= 1
  }
}
