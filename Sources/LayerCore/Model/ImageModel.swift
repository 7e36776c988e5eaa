import Dispatch
import Foundation

/// Everything layerscope knows about one image: its layers, each layer's changes, the merged
/// filesystem at any layer, and what the layers waste.
public final class ImageModel: Sendable {
  public let info: ImageInfo
  /// One node per path that any layer mentions.
  public let tree: PathTree
  /// What each layer changed, bottom first.
  public let changes: [LayerChanges]
  public let efficiency: EfficiencyReport
  /// Layers that failed to read and were taken as empty, under ``BuildOptions/ignoreErrors``.
  public let warnings: [String]
  let records: RecordStore
  /// Per node, the newest record across all layers.
  let latest: [RecordIndex]
  /// Per layer: whether it marked the root opaque.
  let rootOpaque: [Bool]
  private let finalView: MergedView

  init(
    info: ImageInfo, tree: PathTree, records: RecordStore, latest: [RecordIndex],
    changes: [LayerChanges], usage: PathUsage, rootOpaque: [Bool], warnings: [String]
  ) {
    self.info = info
    self.warnings = warnings
    self.tree = tree
    self.records = records
    self.latest = latest
    self.changes = changes
    self.rootOpaque = rootOpaque
    let top = info.layers.count - 1
    let view = MergedView.make(
      layer: top, tree: tree, records: records, latest: latest, rootOpaque: rootOpaque)
    finalView = view
    efficiency = EfficiencyReport(
      info: info, tree: tree, records: records, latest: latest, usage: usage, finalView: view)
  }

  /// The number of layers.
  public var layerCount: Int { info.layers.count }

  /// The record with the given index.
  public func record(_ index: RecordIndex) -> EntryRecord {
    let i = Int(index)
    return EntryRecord(
      layer: Int(records.layers[i]), kind: records.kinds[i], mode: records.modes[i],
      uid: records.uids[i], gid: records.gids[i], size: records.sizes[i],
      linkTarget: Array(records.link(of: index)),
      isImplicit: records.flags[i] & RecordStore.implicitFlag != 0,
      isOpaque: records.flags[i] & RecordStore.opaqueFlag != 0)
  }

  /// The layer a record belongs to, without building an ``EntryRecord``.
  public func layer(of record: RecordIndex) -> Int { Int(records.layers[Int(record)]) }

  /// The kind of a record.
  public func kind(of record: RecordIndex) -> EntryKind { records.kinds[Int(record)] }

  /// The header size of a record.
  public func size(of record: RecordIndex) -> Int64 { records.sizes[Int(record)] }

  /// Every record of `node`, newest layer first: the layers it appears in.
  ///
  /// - Complexity: O(number of layers that mention the node).
  public func records(of node: NodeIndex) -> [RecordIndex] {
    var result: [RecordIndex] = []
    var current = latest[Int(node)]
    while current >= 0 {
      result.append(current)
      current = records.below[Int(current)]
    }
    return result
  }

  /// The record of `node` written by exactly `layer`, if that layer mentions it.
  public func record(of node: NodeIndex, inLayer layer: Int) -> RecordIndex? {
    var current = latest[Int(node)]
    while current >= 0 && Int(records.layers[Int(current)]) > layer {
      current = records.below[Int(current)]
    }
    return current >= 0 && Int(records.layers[Int(current)]) == layer ? current : nil
  }

  /// The merged filesystem as seen from `layer`: that layer and all below it.
  ///
  /// - Complexity: O(number of paths); the view of the top layer is kept and returned at once.
  public func mergedView(at layer: Int) -> MergedView {
    if layer == layerCount - 1 { return finalView }
    return MergedView.make(
      layer: layer, tree: tree, records: records, latest: latest, rootOpaque: rootOpaque)
  }

  // MARK: - Building

  /// Reads every layer (in parallel) and builds the model, bottom layer first.
  ///
  /// - Throws: ``LayerReadError`` for the lowest layer that failed.
  public static func build(info: ImageInfo, sources: [any LayerSource]) throws -> ImageModel {
    precondition(info.layers.count == sources.count, "one source per layer")
    let diffIDs = info.layers.map(\.diffID)
    let tolerant = BuildOptions.ignoreErrors
    let results = try parallelMap(sources.indices) { index -> (LayerScan, String?) in
      do {
        return (try sources[index].scan(), nil)
      } catch {
        let failure = LayerReadError(layerIndex: index, diffID: diffIDs[index], underlying: error)
        guard tolerant else { throw failure }
        return (LayerScan(), "\(failure) (taken as empty)")
      }
    }
    let scans = results.map(\.0)
    let warnings = BuildOptions.warnings + results.compactMap(\.1)
    var info = info
    var builder = ModelBuilder()
    var rootOpaque: [Bool] = []
    for (index, scan) in scans.enumerated() {
      info.layers[index].contentSize = scan.contentSize
      info.layers[index].entryCount = scan.entryCount
      rootOpaque.append(scan.marksRootOpaque)
      builder.apply(scan, layer: index)
    }
    try builder.resolve(
      contentChanged: compareContent(
        builder.candidates, builder: builder, sources: sources,
        info: info))
    let changes = builder.changes
    let usage = builder.usage
    let (tree, records, latest, _) = builder.finish()
    return ImageModel(
      info: info, tree: tree, records: records, latest: latest, changes: changes, usage: usage,
      rootOpaque: rootOpaque, warnings: warnings)
  }

  /// Reads content only for the paths whose headers tie, and returns those that differ.
  private static func compareContent(
    _ candidates: [ContentCandidate], builder: ModelBuilder, sources: [any LayerSource],
    info: ImageInfo
  ) throws -> [ContentCandidate] {
    guard !candidates.isEmpty else { return [] }
    var wanted = [Set<[UInt8]>](repeating: [], count: sources.count)
    func relative(_ node: NodeIndex) -> [UInt8] { Array(builder.tree.path(of: node).dropFirst()) }
    for candidate in candidates {
      let path = relative(candidate.node)
      wanted[Int(builder.records.layers[Int(candidate.lower)])].insert(path)
      wanted[candidate.layer].insert(path)
    }
    let paths = wanted
    let prints = try parallelMap(sources.indices) { index -> [[UInt8]: [UInt8]] in
      guard !paths[index].isEmpty else { return [:] }
      do {
        return try sources[index].fingerprints(of: paths[index])
      } catch {
        throw LayerReadError(
          layerIndex: index, diffID: info.layers[index].diffID, underlying: error)
      }
    }
    return candidates.filter { candidate in
      let path = relative(candidate.node)
      let lower = prints[Int(builder.records.layers[Int(candidate.lower)])][path]
      let upper = prints[candidate.layer][path]
      return lower == nil || upper == nil || lower != upper
    }
  }
}

/// Settings for ``ImageModel/build(info:sources:)`` that callers set around a whole open.
public enum BuildOptions {
  /// Take a layer that fails to read as empty, with a warning, instead of failing.
  @TaskLocal public static var ignoreErrors = false
  /// Read uncompressed layers in full too and check them against their digest. Without it, a
  /// scan seeks over their file data, so only compressed layers (read in full anyway) are
  /// checked.
  @TaskLocal public static var verifyPlainLayers = false
  /// Warnings a source found before building (a missing blob taken as empty).
  @TaskLocal public static var warnings: [String] = []
}

/// A layer with no entries: what a failed layer becomes under ``BuildOptions/ignoreErrors``.
public struct EmptyLayerSource: LayerSource {
  public init() {}
  public func scan() throws -> LayerScan { LayerScan() }
  public func fingerprints(of paths: Set<[UInt8]>) throws -> [[UInt8]: [UInt8]] { [:] }
}

/// Runs `body` for each index on all cores and returns the results in order.
///
/// - Throws: the error of the lowest index that failed.
func parallelMap<T: Sendable>(
  _ indices: Range<Int>, _ body: @Sendable (Int) throws -> T
) throws -> [T] {
  let slots = ResultSlots<T>(indices.count)
  DispatchQueue.concurrentPerform(iterations: indices.count) { offset in
    let result = Result { try body(indices.lowerBound + offset) }
    slots.lock.lock()
    slots.values[offset] = result
    slots.lock.unlock()
  }
  return try slots.values.map { slot in
    guard let slot else { preconditionFailure("every slot is filled") }
    return try slot.get()
  }
}

/// Results written by concurrent workers, each to its own slot, under a lock.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
  var values: [Result<T, any Error>?]
  let lock = NSLock()
  init(_ count: Int) { values = Array(repeating: nil, count: count) }
}
