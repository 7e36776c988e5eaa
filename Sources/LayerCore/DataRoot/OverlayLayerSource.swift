/// One layer of a data root: its tar-split metadata for the headers, its overlay2 `diff/` folder
/// for the rest.
///
/// The scan comes from `tar-split.json.gz` when it is there and sound, and from walking `diff/`
/// otherwise (and always for a container's layers, which have no tar-split). Fingerprints are
/// CRC-64s either way: tar-split's own, or computed from `diff/` the same way, so layers read
/// differently still compare.
public struct OverlayLayerSource: LayerSource {
  /// The layerdb folder holding `tar-split.json.gz`; nil for a container's init and RW layers.
  let layerFolder: DataRootFolder?
  /// The data root, below which `overlay2/<cache-id>/diff` is opened.
  let root: DataRootFolder
  /// The overlay2 folder name: the layer's `cache-id`, or a container's mount ID.
  public let cacheID: String
  /// How messages name the layer: its chain ID, or the container's mount ID.
  public let name: String
  /// For a daemon that ran in a user namespace, how owners read from `diff/` map back.
  var owners: OwnerMapping?

  /// How a scan was made, and why tar-split was not used when it was not.
  public enum Method: Sendable, Equatable {
    /// Read from `tar-split.json.gz`; the layer tar would be `tarBytes` long.
    case tarSplit(tarBytes: Int64)
    case diffFolder(reason: String?)
  }

  /// Scans the layer and says how.
  public func scanReportingMethod() throws(DataRootError) -> (LayerScan, Method) {
    guard let layerFolder else { return (try walker().scan(), .diffFolder(reason: nil)) }
    let reader = TarSplitReader(folder: layerFolder, chainID: name)
    let reason: String
    do {
      let (scan, tarBytes) = try reader.scanMeasuringTar()
      return (scan, .tarSplit(tarBytes: tarBytes))
    } catch .vanished {
      reason = "tar-split.json.gz is missing"
    } catch .badTarSplit(_, let detail) {
      reason = "tar-split.json.gz is unusable (\(detail))"
    } catch .unsafePath(let path) {
      reason = "tar-split.json.gz names '\(path)', outside the root"
    } catch .malformed(_, let detail) {
      reason = "tar-split.json.gz holds \(detail)"
    }
    return (try walker().scan(), .diffFolder(reason: reason))
  }

  public func scan() throws -> LayerScan {
    try scanReportingMethod().0
  }

  public func fingerprints(of paths: Set<[UInt8]>) throws -> [[UInt8]: [UInt8]] {
    if let layerFolder {
      let reader = TarSplitReader(folder: layerFolder, chainID: name)
      if let prints = try? reader.fingerprints(of: paths) { return prints }
    }
    return try walker().fingerprints(of: paths)
  }

  /// The walker over `overlay2/<cache-id>/diff`.
  func walker() throws(DataRootError) -> DiffFolderWalker {
    DiffFolderWalker(folder: try root.folder("overlay2/" + cacheID + "/diff"), owners: owners)
  }
}

/// A layer already scanned, handed to the model builder; fingerprints still come from disk.
struct ScannedLayerSource: LayerSource {
  let result: Result<LayerScan, any Error>
  let source: OverlayLayerSource

  func scan() throws -> LayerScan { try result.get() }

  func fingerprints(of paths: Set<[UInt8]>) throws -> [[UInt8]: [UInt8]] {
    try source.fingerprints(of: paths)
  }
}
