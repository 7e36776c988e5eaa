extension DataRootCatalog {
  /// A data root always knows its layer ancestry.
  public var hasLayerAncestry: Bool { true }

  /// The tree of every layer in layerdb: parents, children, the images using each layer, and
  /// what removing each image would free.
  public func ancestry() throws -> LayerAncestry? {
    try layerTree().ancestry
  }

  /// The ancestry, with what the text rendering needs besides.
  func layerTree() throws(DataRootError) -> LayerTree {
    var nodes: [LayerAncestry.Node] = []
    var indexOf: [String: Int] = [:]
    var parentIDs: [String?] = []
    var folders: [(chainID: String, cacheID: String)] = []
    var skipped: [String] = []
    for chainID in try layerDB.chainIDs() {
      let layer: LayerDBEntry
      do {
        layer = try layerDB.entry(chainID: chainID)
      } catch .vanished {
        continue
      } catch {
        // One unreadable layer leaves the rest of the tree to show.
        skipped.append("\(error)")
        continue
      }
      indexOf[chainID] = nodes.count
      nodes.append(
        LayerAncestry.Node(
          chainID: chainID, diffID: layer.diffID, sizeBytes: layer.sizeBytes,
          parent: layer.parent.map { _ in -1 }, children: [], usedBy: []))
      parentIDs.append(layer.parent)
      folders.append((chainID, layer.cacheID))
    }
    let cached = BuildCacheReferences(root: layout.root).referenced(folders)
    var roots: [Int] = []
    for index in nodes.indices {
      if let parentID = parentIDs[index], let parent = indexOf[parentID] {
        nodes[index].parent = parent
        nodes[parent].children.append(index)
      } else {
        // A layer whose parent is gone is shown as a root of its own.
        nodes[index].parent = nil
        roots.append(index)
      }
    }

    // Which images use each layer, and which images end at it.
    var users = [[String]](repeating: [], count: nodes.count)
    var tops = [[String]](repeating: [], count: nodes.count)
    for image in allImages {
      let title = Self.title(of: image)
      var chainID: String?
      var index: Int?
      for diffID in image.config.rootfs.diffIDs {
        let next = chainID.map { LayerDB.chainID(parent: $0, diffID: diffID) } ?? diffID
        chainID = next
        index = indexOf[next]
        guard let index else { break }
        nodes[index].usedBy.append(title)
        users[index].append(image.id)
      }
      if let index { tops[index].append(title) }
    }

    // Which containers keep each layer.
    var holders = [[String]](repeating: [], count: nodes.count)
    for container in containers {
      var current = container.parentChainID.flatMap { indexOf[$0] }
      while let index = current {
        holders[index].append(container.title)
        current = nodes[index].parent
      }
    }

    // What `docker rmi -f` of each image frees: the layers that only it and the untagged parents
    // removed with it use, and that neither a container nor the build cache keeps.
    var exclusive: [String: Int64] = [:]
    var afterPrune: [String: Int64] = [:]
    var freed: [String: [Int]] = [:]
    for image in allImages {
      let removed = removalSet(of: image)
      let layers = nodes.indices.filter { index in
        !users[index].isEmpty && holders[index].isEmpty
          && users[index].allSatisfy(removed.contains)
      }
      freed[image.id] = layers.filter { !cached.contains($0) }
      let title = Self.title(of: image)
      exclusive[title] = freed[image.id, default: []].reduce(0) { $0 + nodes[$1].sizeBytes }
      afterPrune[title] = layers.filter(cached.contains).reduce(0) { $0 + nodes[$1].sizeBytes }
    }
    let ancestry = LayerAncestry(nodes: nodes, roots: roots, exclusiveBytes: exclusive)
    let names = Dictionary(
      allImages.map { (Self.title(of: $0), $0.names.count) }, uniquingKeysWith: max)
    return LayerTree(
      ancestry: ancestry, tops: tops, holders: holders, cached: cached, freed: freed,
      cachedBytes: afterPrune, nameCounts: names, skipped: skipped)
  }

  /// The images `docker rmi` of `image` removes: the image and each untagged parent left with
  /// no other child.
  func removalSet(of image: ImageRecord) -> Set<String> {
    var removed: Set<String> = [image.id]
    var current = image
    while let parentID = current.parent,
      let parent = allImages.first(where: { $0.id == parentID }), parent.names.isEmpty,
      allImages.allSatisfy({ $0.parent != parentID || removed.contains($0.id) })
    {
      removed.insert(parentID)
      current = parent
    }
    return removed
  }

  /// How the tree names an image: its first name, or its short ID.
  static func title(of image: ImageRecord) -> String {
    image.names.first ?? Digest.short(image.id)
  }
}

/// The layer ancestry with, per node, the images ending there and the containers keeping it.
struct LayerTree {
  var ancestry: LayerAncestry
  /// Per node: titles of the images whose top layer it is.
  var tops: [[String]]
  /// Per node: titles of the containers built on it (directly or above).
  var holders: [[String]]
  /// The nodes BuildKit's build cache refers to: `docker builder prune` frees them, `docker rmi`
  /// does not.
  var cached: Set<Int>
  /// Per image ID: the nodes `docker rmi -f` of that image would delete.
  var freed: [String: [Int]]
  /// Per image title: bytes of the layers only that image uses but the build cache keeps.
  var cachedBytes: [String: Int64]
  /// Per image title: how many names the image has (removing it removes them all).
  var nameCounts: [String: Int]
  /// Why each layerdb folder that could not be read was left out.
  var skipped: [String]
}
