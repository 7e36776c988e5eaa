import Foundation

/// The images of an archive written by `docker save`, `podman save`, skopeo or buildah (also
/// compressed as a whole, as `docker save | gzip` writes), or of an unpacked OCI layout
/// directory.
///
/// The layout is told from the content, never the file name: `manifest.json` (legacy Docker,
/// Docker 25+, docker-archive) is read first since it carries the tags; otherwise `index.json`
/// (OCI archives and layouts) is walked, nested indexes included.
public final class ArchiveCatalog: ImageCatalog {
  /// Where one image's pieces are.
  struct Plan: Sendable {
    var entry: CatalogEntry
    var configName: String
    var configDigest: String
    var manifestDigest: String?
    var layers: [PlannedLayer]
  }

  struct PlannedLayer: Sendable {
    var name: String
    var digest: String?
    var size: Int64?
    var mediaType: String?
  }

  public let sourcePath: String
  public let entries: [CatalogEntry]
  private let files: ImageFiles
  private let plans: [Plan]

  /// Opens an archive file or a layout directory and lists its images.
  public init(path: String) throws(ImageSourceError) {
    sourcePath = path
    var info = stat()
    guard stat(path, &info) == 0 else { throw ReadOnlyFile.openError(path: path) }
    if info.st_mode & S_IFMT == S_IFDIR {
      files = .directory(path)
    } else {
      do {
        files = try ImageFiles.openArchive(path)
      } catch .corrupt(_, let detail) where detail.contains("unrecognized archive format") {
        throw .unrecognized(path: path)
      }
    }
    if files.contains("manifest.json") {
      plans = try Self.dockerPlans(files)
    } else if files.contains("index.json") {
      plans = try Self.ociPlans(files)
    } else {
      throw .unrecognized(path: path)
    }
    guard !plans.isEmpty else { throw .noImages(path: path) }
    entries = plans.map(\.entry)
  }

  public func openImage(at index: Int) throws -> ImageModel {
    let plan = plans[index]
    let config = try readConfig(plan)
    var info = config.makeInfo(configDigest: plan.configDigest)
    guard info.layers.count == plan.layers.count else {
      throw ImageSourceError.layerCountMismatch(
        manifest: plan.layers.count, config: info.layers.count)
    }
    info.reference = plan.entry.names.first
    info.tags = plan.entry.names
    info.manifestDigest = plan.manifestDigest
    var sources: [any LayerSource] = []
    var warnings: [String] = []
    // An uncompressed layer's stored bytes are its diff ID's tar when no blob digest is known
    // (the legacy `<id>/layer.tar` layout).
    let plainDigests = plan.layers.indices.map { position in
      BuildOptions.verifyPlainLayers
        ? plan.layers[position].digest ?? info.layers[position].diffID : nil
    }
    files.prepare(
      layers: plan.layers.indices.map { position in
        StreamedArchive.WantedLayer(
          name: plan.layers[position].name, digest: plan.layers[position].digest,
          plainDigest: plainDigests[position])
      })
    for (position, layer) in plan.layers.enumerated() {
      info.layers[position].blobDigest = layer.digest
      info.layers[position].mediaType = layer.mediaType
      guard
        let source = try files.layerSource(
          layer.name, digest: layer.digest, plainDigest: plainDigests[position])
      else {
        let missing = ImageSourceError.missingBlob(files.describe(layer.name))
        guard BuildOptions.ignoreErrors else { throw missing }
        warnings.append("layer \(position + 1): \(missing) (taken as empty)")
        sources.append(EmptyLayerSource())
        continue
      }
      info.layers[position].compressedSize = layer.size ?? files.size(of: layer.name)
      sources.append(source)
    }
    return try BuildOptions.$warnings.withValue(warnings) {
      try ImageModel.build(info: info, sources: sources)
    }
  }

  private func readConfig(_ plan: Plan) throws(ImageSourceError) -> ImageConfig {
    try ImageConfig.decode(try files.read(plan.configName), source: files.describe(plan.configName))
  }

  // MARK: - docker save and docker-archive

  private static func dockerPlans(_ files: ImageFiles) throws(ImageSourceError) -> [Plan] {
    let items = try files.decode([DockerArchiveManifest].self, from: "manifest.json")
    var plans: [Plan] = []
    for item in items {
      let (config, digest) = try readVerifiedConfig(files, name: item.config, expected: nil)
      let layers = item.layers.map { name -> PlannedLayer in
        var layer = PlannedLayer(name: name)
        let parts = name.split(separator: "/")
        if parts.count == 3, parts[0] == "blobs" {
          layer.digest = "\(parts[1]):\(parts[2])"
        }
        return layer
      }
      let entry = CatalogEntry(
        names: item.repoTags ?? [], id: digest, created: config.created,
        sizeBytes: layers.compactMap { files.size(of: $0.name) }.reduce(0, +),
        layerCount: layers.count, platform: config.makeInfo(configDigest: digest).platform)
      plans.append(
        Plan(entry: entry, configName: item.config, configDigest: digest, layers: layers))
    }
    return plans
  }

  // MARK: - OCI layouts

  private static func ociPlans(_ files: ImageFiles) throws(ImageSourceError) -> [Plan] {
    let index = try files.decode(OCIIndex.self, from: "index.json")
    var plans: [Plan] = []
    try collect(index, names: [], files: files, into: &plans, depth: 0)
    return plans
  }

  private static func names(from annotations: [String: String]?) -> [String] {
    guard let annotations else { return [] }
    if let full = annotations["io.containerd.image.name"] { return [full] }
    if let tag = annotations["org.opencontainers.image.ref.name"] { return [tag] }
    return []
  }

  private static func collect(
    _ index: OCIIndex, names inherited: [String], files: ImageFiles, into plans: inout [Plan],
    depth: Int
  ) throws(ImageSourceError) {
    guard depth < 8 else { throw .unsupported("image indexes nest too deeply") }
    for descriptor in index.manifests {
      if descriptor.annotations?["vnd.docker.reference.type"] == "attestation-manifest" {
        continue
      }
      let names =
        Self.names(from: descriptor.annotations).isEmpty
        ? inherited : Self.names(from: descriptor.annotations)
      let name = ImageFiles.blobPath(descriptor.digest)
      guard files.contains(name) else {
        // An index may name platforms whose blobs were never saved; image-spec allows it.
        continue
      }
      if MediaType.isIndex(descriptor.mediaType) {
        let nested = try files.decode(OCIIndex.self, from: name)
        try collect(nested, names: names, files: files, into: &plans, depth: depth + 1)
        continue
      }
      guard MediaType.isManifest(descriptor.mediaType) || descriptor.mediaType == nil else {
        continue
      }
      let manifest = try files.decode(OCIManifest.self, from: name)
      let configName = ImageFiles.blobPath(manifest.config.digest)
      let (config, digest) = try readVerifiedConfig(
        files, name: configName, expected: manifest.config.digest)
      let layers = manifest.layers.map {
        PlannedLayer(
          name: ImageFiles.blobPath($0.digest), digest: $0.digest, size: $0.size,
          mediaType: $0.mediaType)
      }
      var platform = config.makeInfo(configDigest: digest).platform
      if let declared = descriptor.platform, let os = declared.os,
        let architecture = declared.architecture
      {
        platform = [os, architecture, declared.variant].compactMap { $0 }.joined(separator: "/")
      }
      let entry = CatalogEntry(
        names: names, id: digest, created: config.created,
        sizeBytes: layers.compactMap(\.size).reduce(0, +), layerCount: layers.count,
        platform: platform, manifestDigest: descriptor.digest)
      plans.append(
        Plan(
          entry: entry, configName: configName, configDigest: digest,
          manifestDigest: descriptor.digest, layers: layers))
    }
  }

  /// Reads a config and its digest, checking it against the digest its name or descriptor gives.
  private static func readVerifiedConfig(
    _ files: ImageFiles, name: String, expected: String?
  ) throws(ImageSourceError) -> (ImageConfig, String) {
    let data = try files.read(name)
    let digest = Digest.sha256([UInt8](data))
    var claimed = expected
    if claimed == nil {
      let base = (name as NSString).lastPathComponent
      let hex = base.hasSuffix(".json") ? String(base.dropLast(5)) : base
      if Digest.isValidSHA256("sha256:" + hex) { claimed = "sha256:" + hex }
    }
    if let claimed, claimed.hasPrefix("sha256:"), claimed != digest {
      throw .digestMismatch(file: files.describe(name), expected: claimed, actual: digest)
    }
    return (try ImageConfig.decode(data, source: files.describe(name)), digest)
  }
}
