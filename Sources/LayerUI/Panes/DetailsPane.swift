import LayerCore

/// The details below the layer list: the selected layer's facts and the whole image's.
///
/// What does not fit is cut, with a last line saying that `d` shows it all
/// (``DetailsScreen``).
enum DetailsPane {
  /// Draws the layer's details in the top part of `rect` and the image's below, splitting the
  /// rows between them.
  static func draw(
    _ model: ImageModel, layer: Int, title: String, into buffer: inout ScreenBuffer, rect: Rect
  ) {
    let width = max(1, rect.width - 1)
    let layerLines = self.layerLines(model.info.layers[layer], width: width)
    let imageLines = self.imageLines(model, title: title, width: width)
    // The image's summary lines come first in its block; give each block at least its share.
    let available = max(0, rect.height - 2)
    let imageShare = min(imageLines.count, max(available / 2, available - layerLines.count))
    let layerShare = min(layerLines.count, available - imageShare)
    var area = PaneHeader.draw(
      "Layer \(layer + 1)", focused: false, into: &buffer, rect: rect)
    draw(
      layerLines.prefix(layerShare), truncated: layerShare < layerLines.count,
      into: &buffer, rect: area.splitTop(layerShare).top)
    area = area.splitTop(layerShare).rest
    area = PaneHeader.draw("Image", focused: false, into: &buffer, rect: area)
    draw(
      imageLines.prefix(area.height), truncated: imageLines.count > area.height,
      into: &buffer, rect: area)
  }

  private static func draw(
    _ lines: ArraySlice<(String, TextStyle)>, truncated: Bool, into buffer: inout ScreenBuffer,
    rect: Rect
  ) {
    for (row, line) in lines.enumerated() where row < rect.height {
      if truncated && row == lines.count - 1 {
        buffer.write(
          TextWrap.truncate(moreHint, to: rect.width), x: rect.x, y: rect.y + row,
          style: TextStyle(isDim: true), limit: rect.x + rect.width)
        continue
      }
      buffer.write(line.0, x: rect.x, y: rect.y + row, style: line.1, limit: rect.x + rect.width)
    }
  }

  private static let label = TextStyle(isBold: true)
  /// The last line of a block cut short.
  static let moreHint = "… more: press d"

  /// Digest, diff ID, created, the whole command wrapped, and the comment. With `full`, the
  /// digests are whole (wrapped if need be) rather than cut to 12 hex digits.
  static func layerLines(
    _ info: LayerInfo, width: Int, full: Bool = false
  ) -> [(String, TextStyle)] {
    var lines: [(String, TextStyle)] = []
    func field(_ name: String, _ value: String) {
      let text = TextWrap.padRight(name, to: 8) + DisplayText.safe(value)
      for line in TextWrap.wrap(text, to: width) { lines.append((line, .plain)) }
    }
    func digest(_ value: String) -> String {
      full ? whole(value, width: width - 8) : Digest.short(value)
    }
    field("Digest", info.blobDigest.map(digest) ?? "(not stored)")
    field("Diff ID", digest(info.diffID))
    if let created = info.history?.created { field("Created", DateText.format(created)) }
    field("Entries", "\(info.entryCount), \(ByteCountText.format(info.contentSize))")
    let command = CommandText.stripped(info.history?.createdBy ?? "")
    lines.append(("Command", label))
    for line in TextWrap.wrap(DisplayText.safe(command.replacingTabs()), to: width) {
      lines.append((line, .plain))
    }
    if let comment = info.history?.comment, !comment.isEmpty { field("Comment", comment) }
    return lines
  }

  /// Name, sizes, efficiency, waste, and the paths that waste the most. With `full`, also the
  /// image ID (the config digest) and every tag, wrapped rather than cut.
  static func imageLines(
    _ model: ImageModel, title: String, width: Int, full: Bool = false
  ) -> [(String, TextStyle)] {
    let report = model.efficiency
    var lines: [(String, TextStyle)] = []
    func field(_ name: String, _ value: String) {
      lines.append((TextWrap.truncate(TextWrap.padRight(name, to: 12) + value, to: width), .plain))
    }
    func wrappedField(_ name: String, _ value: String) {
      let text = TextWrap.padRight(name, to: 12) + value
      for line in TextWrap.wrap(text, to: width) { lines.append((line, .plain)) }
    }
    field("Name", DisplayText.safe(title))
    if full {
      wrappedField("Image ID", whole(model.info.configDigest, width: width - 12))
      let others = model.info.tags.filter { $0 != title }.map(DisplayText.safe)
      if !others.isEmpty { wrappedField("Also named", others.joined(separator: ", ")) }
    }
    field("Total size", ByteCountText.format(model.info.totalSize))
    field("Efficiency", percent(report.score))
    field("Wasted", ByteCountText.format(report.wastedBytes))
    field("User wasted", percent(report.userWastedRatio))
    field("Reclaimable", ByteCountText.format(report.reclaimableBytes))
    guard !report.inefficiencies.isEmpty else {
      lines.append((TextWrap.truncate("No path is written twice.", to: width), .plain))
      return lines
    }
    lines.append(("Count    Total  Path", label))
    for item in report.inefficiencies.prefix(50) {
      let path = DisplayText.decode(model.tree.path(of: item.node))
      let text =
        TextWrap.padLeft("\(item.layerCount)", to: 5)
        + TextWrap.padLeft(ByteCountText.format(item.totalBytes), to: 9) + "  " + path
      lines.append((TextWrap.truncate(text, to: width), .plain))
    }
    return lines
  }

  /// A whole digest, without its `sha256:` when only the hex digits fit in `width`.
  static func whole(_ digest: String, width: Int) -> String {
    digest.count > width && Digest.hex(digest).count <= width ? Digest.hex(digest) : digest
  }

  /// A ratio as a percentage with one decimal, e.g. `97.3 %`, without a locale.
  static func percent(_ ratio: Double) -> String {
    let tenths = Int((ratio * 1000).rounded())
    return "\(tenths / 10).\(abs(tenths % 10)) %"
  }
}

extension String {
  /// Tabs as single spaces; other control characters are left for ``DisplayText`` to escape.
  fileprivate func replacingTabs() -> String {
    String(map { $0 == "\t" ? " " : $0 })
  }
}
