/// `--tree`: the ancestry of every layer of a data root as text, one layer per line.
///
/// ```
/// sha256:0395b473d1d2    5.5 kB  used by 12 images
/// ├── sha256:556101a6ba2c    2.0 MB  used by 10 images; top of layerscope/shell:1
/// │   └── sha256:21788358848f   34 B  no image; kept by container orphan-holder
/// ```
/// followed by the unused layers and, per image, the bytes removing it would free.
enum LayerTreeText {
  /// Renders the tree; names of images are cut to keep lines near 100 columns.
  static func render(_ tree: LayerTree, sourcePath: String, imageCount: Int) -> String {
    let nodes = tree.ancestry.nodes
    let total = nodes.reduce(Int64(0)) { $0 + $1.sizeBytes }
    var out =
      "Layers of \(sourcePath): \(nodes.count) layers, \(ByteCount.format(total)) on "
      + "disk, \(imageCount) images\n\n"

    func describe(_ index: Int) -> String {
      let node = nodes[index]
      var parts: [String] = []
      if node.usedBy.isEmpty {
        parts.append("no image")
      } else {
        parts.append("used by " + count(node.usedBy.count, "image"))
      }
      if !tree.tops[index].isEmpty { parts.append("top of " + list(tree.tops[index])) }
      if node.usedBy.isEmpty { parts += keepers(index) }
      return Digest.short(node.chainID) + "  " + pad(ByteCount.format(node.sizeBytes), 9) + "  "
        + parts.joined(separator: "; ")
    }

    /// What keeps a layer no image uses.
    func keepers(_ index: Int) -> [String] {
      var result: [String] = []
      if !tree.holders[index].isEmpty {
        result.append("kept by container " + list(tree.holders[index]))
      }
      if tree.cached.contains(index) { result.append("build cache") }
      return result
    }

    func walk(_ index: Int, prefix: String, connector: String) {
      out += fit(prefix + connector + describe(index)) + "\n"
      let children = sorted(nodes[index].children)
      let childPrefix = prefix + (connector == "├── " ? "│   " : connector.isEmpty ? "" : "    ")
      for (position, child) in children.enumerated() {
        let isLast = position == children.count - 1
        walk(child, prefix: childPrefix, connector: isLast ? "└── " : "├── ")
      }
    }

    func sorted(_ indices: [Int]) -> [Int] {
      indices.sorted {
        (nodes[$0].usedBy.count, nodes[$1].chainID) > (nodes[$1].usedBy.count, nodes[$0].chainID)
      }
    }

    for root in sorted(tree.ancestry.roots) { walk(root, prefix: "", connector: "") }

    let unused = nodes.indices.filter { nodes[$0].usedBy.isEmpty }
    let unusedBytes = unused.reduce(Int64(0)) { $0 + nodes[$1].sizeBytes }
    out += "\nUnused layers (no image): \(unused.count), \(ByteCount.format(unusedBytes))\n"
    for index in unused {
      let kept = keepers(index)
      out +=
        "  " + Digest.short(nodes[index].chainID) + "  "
        + pad(ByteCount.format(nodes[index].sizeBytes), 9) + "  "
        + (kept.isEmpty ? "no container or build cache either" : kept.joined(separator: "; "))
        + "\n"
    }

    if !tree.skipped.isEmpty {
      out += "\nLayers left out, unreadable: \(tree.skipped.count)\n"
      for reason in tree.skipped { out += "  " + reason + "\n" }
    }

    out +=
      "\nWhat 'docker rmi -f' of each image would free (layers a container or the build cache "
      + "uses stay):\n"
    let freed = tree.ancestry.exclusiveBytes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    let labels = freed.map { label(title: $0.key, names: tree.nameCounts[$0.key] ?? 1) }
    let width = min(60, labels.map(\.count).max() ?? 0)
    for ((title, bytes), label) in zip(freed, labels) {
      var line = "  " + pad(label, width, left: true) + "  " + pad(ByteCount.format(bytes), 9)
      if let cached = tree.cachedBytes[title], cached > 0 {
        line += "  (+\(ByteCount.format(cached)) after 'docker builder prune')"
      }
      out += line + "\n"
    }
    return out
  }

  /// An image's title, saying how many other names go with it.
  private static func label(title: String, names: Int) -> String {
    names > 1 ? title + " (+\(count(names - 1, "name")))" : title
  }

  /// Cuts a line to 100 columns.
  private static func fit(_ line: String) -> String {
    line.count <= 100 ? line : String(line.prefix(99)) + "…"
  }

  private static func count(_ value: Int, _ noun: String) -> String {
    "\(value) \(noun)\(value == 1 ? "" : "s")"
  }

  /// Up to three names, then how many more.
  private static func list(_ names: [String]) -> String {
    let shown = names.sorted().prefix(3).joined(separator: ", ")
    return names.count > 3 ? shown + " (+\(names.count - 3))" : shown
  }

  private static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    guard text.count < width else { return text }
    let fill = String(repeating: " ", count: width - text.count)
    return left ? text + fill : fill + text
  }
}

extension DataRootCatalog {
  /// The text `layerscope DATA_ROOT --tree` prints.
  public func treeText() throws -> String {
    LayerTreeText.render(try layerTree(), sourcePath: sourcePath, imageCount: allImages.count)
  }
}
