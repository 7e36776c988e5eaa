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
  /// The listing entry of every image of `allImages`, by image ID.
  let allEntries: [String: CatalogEntry]
  let layout: DataRootLayout
  let layerDB: LayerDB

  private init(
    sourcePath: String, layout: DataRootLayout, layerDB: LayerDB, listed: [ImageRecord],
    allImages: [ImageRecord], allEntries: [String: CatalogEntry], containers: [ContainerLayers],
    warnings: [String]
  ) {
    self.sourcePath = sourcePath
    self.layout = layout
    self.layerDB = layerDB
    self.listed = listed
    self.allImages = allImages
    self.allEntries = allEntries
    self.entries = listed.compactMap { allEntries[$0.id] }
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

    // Images left out for one reason (a broken layer they share) make one warning together.
    var leftOut: [(reason: String, images: [String])] = []
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
        let reason = "\(error)"
        if let index = leftOut.firstIndex(where: { $0.reason == reason }) {
          leftOut[index].images.append(Digest.short(id))
        } else {
          leftOut.append((reason, [Digest.short(id)]))
        }
      }
    }

    let warnings = leftOut.map { reason, images in
      let names = images.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
      let more = images.count > 3 ? " and \(images.count - 3) more" : ""
      return (images.count == 1 ? "image " : "images ") + names + more + " left out: " + reason
    }
    let parents = Set(images.compactMap(\.parent))
    let listed = images.filter { image in
      includeIntermediate || !image.names.isEmpty || !parents.contains(image.id)
    }.sorted(by: listingOrder(entryFor))
    let containers = try ContainerLayers.all(root: layout.root, layerDB: layerDB.folder)
    return DataRootCatalog(
      sourcePath: path, layout: layout, layerDB: layerDB, listed: listed, allImages: images,
      allEntries: entryFor, containers: containers, warnings: warnings + layout.notes)
  }

  /// The same data root with every image listed, the classic builder's intermediate images
  /// (which `docker images` hides without `-a`) included.
  public func includingIntermediateImages() -> DataRootCatalog {
    DataRootCatalog(
      sourcePath: sourcePath, layout: layout, layerDB: layerDB,
      listed: allImages.sorted(by: Self.listingOrder(allEntries)), allImages: allImages,
      allEntries: allEntries, containers: containers, warnings: warnings)
  }

  /// The same catalog with the names of image `index` reordered so that the one matching
  /// `request` comes first: the image then goes by the tag the user asked for.
  func naming(_ index: Int, first request: String) -> DataRootCatalog {
    var image = listed[index]
    let exact = image.names.firstIndex(of: request)
    guard
      let position = exact
        ?? image.names.firstIndex(where: { ImageSelector.matchesName($0, request) }),
      position > 0
    else { return self }
    image.names.insert(image.names.remove(at: position), at: 0)
    var listed = self.listed
    listed[index] = image
    var all = allImages
    if let other = all.firstIndex(where: { $0.id == image.id }) { all[other] = image }
    var entries = allEntries
    entries[image.id]?.names = image.names
    return DataRootCatalog(
      sourcePath: sourcePath, layout: layout, layerDB: layerDB, listed: listed, allImages: all,
      allEntries: entries, containers: containers, warnings: warnings)
  }

  /// Picks the image `request` names (a tag or an ID prefix, nil for the only one), as
  /// ``ImageSelector`` does, except that an ID prefix may also name a hidden intermediate
  /// image, as `docker image inspect` allows; the catalog returned is the one the index is in.
  ///
  /// - Throws: the ``ImageSourceError`` of the plain listing when nothing matches.
  public func selectImage(
    request: String?, platform: String?
  ) throws(ImageSourceError) -> (DataRootCatalog, Int) {
    guard !allImages.isEmpty else { throw .noImages(path: sourcePath) }
    do {
      let index = try ImageSelector.select(in: self, request: request, platform: platform)
      return (request.map { naming(index, first: $0) } ?? self, index)
    } catch .noMatch(let what, let choices) {
      let wider = includingIntermediateImages()
      guard request != nil, wider.entries.count > entries.count,
        let index = try? ImageSelector.select(in: wider, request: request, platform: platform)
      else { throw .noMatch(request: what, choices: choices) }
      return (wider, index)
    }
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
      layerFolder: layer.folder, root: layout.root, cacheID: layer.cacheID, name: layer.chainID,
      owners: layout.owners)
  }

  /// Scans every layer in parallel, turns tar-split fallbacks into warnings, and builds.
  ///
  /// A layer read from tar-split gets the size of its tar as its stored size, the figure its
  /// `docker save` archive would show; one read from its diff folder has none.
  func build(info: ImageInfo, sources: [OverlayLayerSource]) throws -> ImageModel {
    typealias Scanned = (source: ScannedLayerSource, warning: String?, tarBytes: Int64?)
    let scanned = try parallelMap(sources.indices) { index -> Scanned in
      do throws(DataRootError) {
        let (scan, method) = try sources[index].scanReportingMethod()
        var warning: String?
        var tarBytes: Int64?
        switch method {
        case .tarSplit(let bytes): tarBytes = bytes
        case .diffFolder(let reason?):
          warning =
            "layer \(index + 1) '\(Digest.short(sources[index].name))': \(reason); "
            + "read its diff folder instead"
        case .diffFolder(nil): break
        }
        let source = ScannedLayerSource(result: .success(scan), source: sources[index])
        return (source, warning, tarBytes)
      } catch {
        return (ScannedLayerSource(result: .failure(error), source: sources[index]), nil, nil)
      }
    }
    var info = info
    for (index, layer) in scanned.enumerated() where info.layers.indices.contains(index) {
      info.layers[index].compressedSize = layer.tarBytes
    }
    let warnings = BuildOptions.warnings + scanned.compactMap(\.warning)
    return try BuildOptions.$warnings.withValue(warnings) {
      try ImageModel.build(info: info, sources: scanned.map(\.source))
    }
  }
}
