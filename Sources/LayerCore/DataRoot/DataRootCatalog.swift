/// The images and containers of a Docker data root (`/var/lib/docker`, a custom `--data-root`,
/// rootless `~/.local/share/docker`, a userns-remap subfolder), read straight from disk.
///
/// Opening reads `repositories.json`, every imagedb config (checking each against its name) and
/// the layerdb `size` of each image's layers: small files only. Layers are read when an image
/// is opened: headers from `tar-split.json.gz`, contents from `overlay2/<cache-id>/diff` only for
/// the rare content comparison. Nothing is written, mounted or followed out of the data root.
public final class DataRootCatalog: ImageCatalog {
  public let sourcePath: String
  public let entries: [CatalogEntry]
  /// The containers with a read-write layer, newest first.
  public let containers: [ContainerLayers]
  /// Images left out while opening (a config that does not match its name, a missing layer).
  public let warnings: [String]
  /// The image behind each entry, in the same order.
  let listed: [ImageRecord]
  /// Every image of imagedb, intermediate ones included.
  let allImages: [ImageRecord]
  let layout: DataRootLayout
  let layerDB: LayerDB

  private init(
    sourcePath: String, layout: DataRootLayout, layerDB: LayerDB, listed: [ImageRecord],
    allImages: [ImageRecord], entries: [CatalogEntry], containers: [ContainerLayers],
    warnings: [String]
  ) {
    self.sourcePath = sourcePath
    self.layout = layout
    self.layerDB = layerDB
    self.listed = listed
    self.allImages = allImages
    self.entries = entries
    self.containers = containers
    self.warnings = warnings
  }

  /// Opens the data root at `path` and lists its images.
  ///
  /// - Parameters:
  ///   - path: the data root, or a folder holding one userns-remap root.
  ///   - includeIntermediate: also list untagged images that are the parent of another image
  ///     (the classic builder's steps), which `docker images` hides without `-a`.
  /// - Throws: ``DataRootError``: the first line a user should see, e.g. that the data root
  ///   needs sudo or keeps its images in containerd.
  public static func open(
    path: String, includeIntermediate: Bool = false
  ) throws(DataRootError) -> DataRootCatalog {
    let layout = try DataRootLayout.locate(path: path)
    let layerDB = LayerDB(folder: try layout.imageStore.folder("layerdb"))
    let imageDB = ImageDB(folder: try layout.imageStore.folder("imagedb"))
    let names = try RepositoriesFile.names(in: layout.imageStore)

    var warnings: [String] = []
    var images: [ImageRecord] = []
    var entryFor: [String: CatalogEntry] = [:]
    for id in try imageDB.imageIDs() {
      do {
        let image = try imageDB.image(id: id, names: names[id] ?? [])
        let chain = try layerDB.chain(diffIDs: image.config.rootfs.diffIDs, image: id)
        let total = chain.reduce(0) { $0 + $1.sizeBytes }
        images.append(image)
        let info = image.config.makeInfo(configDigest: id)
        entryFor[id] = CatalogEntry(
          names: image.names, id: id, created: image.config.created, sizeBytes: total,
          layerCount: chain.count, platform: info.platform)
      } catch .vanished {
        continue
      } catch {
        warnings.append("image '\(Digest.short(id))' left out: \(error)")
      }
    }

    let parents = Set(images.compactMap(\.parent))
    let listed = images.filter { image in
      includeIntermediate || !image.names.isEmpty || !parents.contains(image.id)
    }.sorted(by: listingOrder(entryFor))
    let containers = try ContainerLayers.all(root: layout.root, layerDB: layerDB.folder)
    return DataRootCatalog(
      sourcePath: path, layout: layout, layerDB: layerDB, listed: listed, allImages: images,
      entries: listed.compactMap { entryFor[$0.id] }, containers: containers,
      warnings: warnings)
  }

  /// Tagged images by name first, then untagged ones, newest first.
  private static func listingOrder(
    _ entries: [String: CatalogEntry]
  ) -> (ImageRecord, ImageRecord) -> Bool {
    { a, b in
      switch (a.names.first, b.names.first) {
      case (let x?, let y?): return x < y
      case (.some, nil): return true
      case (nil, .some): return false
      case (nil, nil):
        let (x, y) = (entries[a.id]?.created ?? "", entries[b.id]?.created ?? "")
        return x == y ? a.id < b.id : x > y
      }
    }
  }

  // MARK: - Opening an image

  /// Reads one listed image's layers and builds its model.
  public func openImage(at index: Int) throws -> ImageModel {
    guard listed.indices.contains(index) else {
      throw DataRootError.noMatch(request: "#\(index + 1)", kind: "image")
    }
    let image = listed[index]
    let chain = try layerDB.chain(diffIDs: image.config.rootfs.diffIDs, image: image.id)
    var info = image.config.makeInfo(configDigest: image.id)
    info.tags = image.names
    info.reference = image.names.first ?? image.id
    return try build(info: info, sources: chain.map(source(for:)))
  }

  /// The source reading one layerdb layer.
  func source(for layer: LayerDBEntry) -> OverlayLayerSource {
    OverlayLayerSource(
      layerFolder: layer.folder, root: layout.root, cacheID: layer.cacheID, name: layer.chainID)
  }

  /// Scans every layer in parallel, turns tar-split fallbacks into warnings, and builds.
  func build(info: ImageInfo, sources: [OverlayLayerSource]) throws -> ImageModel {
    let scanned = try parallelMap(sources.indices) { index -> (ScannedLayerSource, String?) in
      do throws(DataRootError) {
        let (scan, method) = try sources[index].scanReportingMethod()
        var warning: String?
        if case .diffFolder(let reason?) = method {
          warning =
            "layer \(index + 1) '\(Digest.short(sources[index].name))': \(reason); "
            + "read its diff folder instead"
        }
        return (ScannedLayerSource(result: .success(scan), source: sources[index]), warning)
      } catch {
        return (ScannedLayerSource(result: .failure(error), source: sources[index]), nil)
      }
    }
    let warnings = BuildOptions.warnings + scanned.compactMap(\.1)
    return try BuildOptions.$warnings.withValue(warnings) {
      try ImageModel.build(info: info, sources: scanned.map(\.0))
    }
  }
}
