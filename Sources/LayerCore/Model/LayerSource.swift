/// Where one layer's entries come from: a tar in an archive, a blob file, or a data root.
public protocol LayerSource: Sendable {
  /// Reads every entry header of the layer, without reading file data where it can be skipped.
  func scan() throws -> LayerScan

  /// Returns a fingerprint of the content of each named regular file of the layer.
  ///
  /// Called only for the few paths whose headers tie with a lower layer's. Paths are clean and
  /// relative; a path the layer does not hold is left out of the result.
  func fingerprints(of paths: Set<[UInt8]>) throws -> [[UInt8]: [UInt8]]
}

/// A layer that could not be read, with the layer it happened in.
public struct LayerReadError: Error, CustomStringConvertible {
  public var layerIndex: Int
  public var diffID: String
  public var underlying: any Error

  public init(layerIndex: Int, diffID: String, underlying: any Error) {
    self.layerIndex = layerIndex
    self.diffID = diffID
    self.underlying = underlying
  }

  public var description: String {
    "layer \(layerIndex + 1) '\(Digest.short(diffID))': \(underlying)"
  }
}
