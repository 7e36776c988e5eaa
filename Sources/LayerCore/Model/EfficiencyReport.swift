/// What the layers waste, measured two ways.
///
/// dive's figures (``score``, ``wastedBytes``, ``userWastedPercent``) count, for each path, one
/// size per layer it appears in; ``reclaimableBytes`` counts what lower layers carry that the
/// final image does not show. docs/EFFICIENCY.md explains both.
public struct EfficiencyReport: Sendable {
  /// One path that more than one layer wrote, with dive's tally for it.
  public struct Inefficiency: Sendable, Equatable {
    public var node: NodeIndex
    /// How many layers the path appears in.
    public var layerCount: Int
    /// The sum of its sizes over those layers.
    public var totalBytes: Int64
  }

  /// One path whose bytes lower layers carry but the final image hides.
  public struct Reclaimable: Sendable, Equatable {
    public var node: NodeIndex
    public var bytes: Int64
  }

  /// Sum over paths of the smallest size, over the sum of all sizes; 1 for an empty image.
  public let score: Double
  /// Sum of all sizes of the paths that appear in two or more layers.
  public let wastedBytes: Int64
  /// ``wastedBytes`` over the size of every layer but the first, as a ratio (0.1 is 10%).
  public let userWastedRatio: Double
  /// Bytes in the layers that the final image does not show.
  public let reclaimableBytes: Int64
  /// Bytes the final image shows.
  public let finalBytes: Int64
  /// Paths that appear in two or more layers, largest tally first.
  public let inefficiencies: [Inefficiency]
  /// Paths carrying the most hidden bytes, largest first (at most 100).
  public let topReclaimable: [Reclaimable]

  /// ``userWastedRatio`` as a percentage.
  public var userWastedPercent: Double { userWastedRatio * 100 }

  init(
    info: ImageInfo, tree: PathTree, records: RecordStore, latest: [RecordIndex],
    usage: PathUsage, finalView: MergedView
  ) {
    var minimumSum: Int64 = 0
    var totalSum: Int64 = 0
    var wasted: Int64 = 0
    var repeated: [Inefficiency] = []
    for node in 0..<usage.total.count where usage.layerCount[node] > 0 {
      minimumSum += usage.minimum[node]
      totalSum += usage.total[node]
      if usage.layerCount[node] >= 2 {
        wasted += usage.total[node]
        repeated.append(
          Inefficiency(
            node: NodeIndex(node), layerCount: Int(usage.layerCount[node]),
            totalBytes: usage.total[node]))
      }
    }
    score = totalSum == 0 ? 1 : Double(minimumSum) / Double(totalSum)
    wastedBytes = wasted
    let userBytes = info.layers.dropFirst().reduce(Int64(0)) { $0 + $1.contentSize }
    userWastedRatio = userBytes == 0 ? 0 : Double(wasted) / Double(userBytes)
    inefficiencies = repeated.sorted {
      ($0.totalBytes, $1.node) > ($1.totalBytes, $0.node)
    }

    let shown = finalView.size(of: PathTree.root)
    finalBytes = shown
    reclaimableBytes = info.totalSize - shown
    var hidden: [Reclaimable] = []
    for node in 1..<tree.count {
      let keep = finalView.record(of: NodeIndex(node)) ?? -1
      var bytes: Int64 = 0
      var record = latest[node]
      while record >= 0 {
        if record != keep { bytes += records.sizes[Int(record)] }
        record = records.below[Int(record)]
      }
      if bytes > 0 { hidden.append(Reclaimable(node: NodeIndex(node), bytes: bytes)) }
    }
    hidden.sort { ($0.bytes, $1.node) > ($1.bytes, $0.node) }
    topReclaimable = Array(hidden.prefix(100))
  }
}
