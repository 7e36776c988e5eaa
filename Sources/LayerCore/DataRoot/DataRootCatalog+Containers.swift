extension DataRootCatalog {
  /// A container's view: its image's layers, then its init layer, then its read-write layer,
  /// whose changes are what `docker diff` lists.
  ///
  /// - Parameter request: the container's name or a prefix of its ID.
  public func openContainer(_ request: String) throws -> ImageModel {
    let container = try ContainerLayers.select(request, in: containers)
    let chain = try parentChain(of: container)
    let image = allImages.first { $0.id == container.imageID }
    var info: ImageInfo
    if let image, image.config.rootfs.diffIDs == chain.map(\.diffID) {
      info = image.config.makeInfo(configDigest: image.id)
    } else {
      // The image was removed (`docker rmi -f`) or replaced: only its layers are left.
      info = ImageInfo(
        configDigest: container.imageID ?? "",
        layers: chain.enumerated().map { LayerInfo(index: $0.offset, diffID: $0.element.diffID) },
        history: [])
    }
    info.reference = container.title
    info.tags = image?.names ?? []

    var sources = chain.map(source(for:))
    var own: [(String, String)] = []
    if let initID = container.initID { own.append((initID, "container init layer")) }
    own.append((container.mountID, "container changes (what docker diff lists)"))
    for (folderName, step) in own {
      var layer = LayerInfo(index: info.layers.count, diffID: folderName)
      layer.history = HistoryEntry(createdBy: step, layerIndex: info.layers.count)
      info.history.append(layer.history ?? HistoryEntry())
      info.layers.append(layer)
      sources.append(
        OverlayLayerSource(
          layerFolder: nil, root: layout.root, cacheID: folderName, name: folderName,
          owners: layout.owners))
    }
    return try build(info: info, sources: sources)
  }

  /// The layers below a container, bottom first, walked down its `parent` files and checked
  /// against the chain IDs their diff IDs make.
  func parentChain(of container: ContainerLayers) throws(DataRootError) -> [LayerDBEntry] {
    var chain: [LayerDBEntry] = []
    var next = container.parentChainID
    while let chainID = next {
      guard chain.count < 128 else {
        throw .chainMismatch(chainID: chainID, detail: "the chain is more than 128 layers deep")
      }
      let layer: LayerDBEntry
      do {
        layer = try layerDB.entry(chainID: chainID)
      } catch .vanished {
        throw .missingLayer(chainID: chainID, image: "container " + container.title)
      }
      chain.append(layer)
      next = layer.parent
    }
    chain.reverse()
    _ = try layerDB.chain(diffIDs: chain.map(\.diffID), image: "container " + container.title)
    return chain
  }
}
