import LayerCore

/// The image picker: the images of the source, filtered by what the user types.
struct PickerPane {
  private(set) var query = ""
  private(set) var selected = 0
  private var top = 0
  private(set) var pageHeight = 1

  /// Indices of the entries that match the query, in catalog order.
  func matches(_ entries: [CatalogEntry]) -> [Int] {
    let needle = query.lowercased()
    guard !needle.isEmpty else { return Array(entries.indices) }
    return entries.indices.filter { index in
      let entry = entries[index]
      return (entry.names + [entry.id, entry.platform ?? ""]).contains {
        $0.lowercased().contains(needle)
      }
    }
  }

  /// The catalog index of the selected entry, if any matches.
  func selectedEntry(_ entries: [CatalogEntry]) -> Int? {
    let found = matches(entries)
    return selected < found.count ? found[selected] : nil
  }

  mutating func type(_ character: Character) {
    query.append(character)
    selected = 0
  }

  mutating func deleteBackward() {
    if !query.isEmpty { query.removeLast() }
    selected = 0
  }

  mutating func clearQuery() {
    query = ""
    selected = 0
  }

  mutating func move(by rows: Int, count: Int) {
    selected = max(0, min(count - 1, selected + rows))
  }

  /// Selects the entry on a row of the last drawn window; returns false when there is none.
  @discardableResult
  mutating func select(row: Int, count: Int) -> Bool {
    guard row >= 0 && top + row < count else { return false }
    selected = top + row
    return true
  }

  /// Columns right of the names: size (9), layers (8), a gap and `2024-05-06 07:08 UTC`.
  private static let fixedColumns = 9 + 8 + 2 + 20
  /// The short ID's column (2 + 12), shown when the names keep at least `nameMinimum` columns.
  private static let idColumns = 14
  private static let nameMinimum = 24

  /// What a row shows of an image's names: every name, the first one first, so all tags of
  /// one image read together; the platform follows the first name when the source holds
  /// several platforms.
  static func namesText(_ entry: CatalogEntry, showPlatform: Bool) -> String {
    var text = DisplayText.safe(entry.title)
    if showPlatform, let platform = entry.platform {
      text += " (" + DisplayText.safe(platform) + ")"
    }
    for name in entry.names.dropFirst() { text += ", " + DisplayText.safe(name) }
    return text
  }

  /// Draws the query line and the window of matching images.
  mutating func draw(
    _ catalog: any ImageCatalog, into buffer: inout ScreenBuffer, rect: Rect
  ) {
    let entries = catalog.entries
    let found = matches(entries)
    var body = PaneHeader.draw(
      "Images", detail: "\(found.count) of \(entries.count) · \(catalog.sourcePath)",
      focused: true, into: &buffer, rect: rect)
    guard body.height > 0 else { return }
    var column = buffer.write("Filter: ", x: body.x, y: body.y, style: TextStyle(isBold: true))
    column = buffer.write(query, x: column, y: body.y, limit: body.x + body.width)
    buffer.write(
      " ", x: column, y: body.y, style: TextStyle(isReversed: true),
      limit: body.x + body.width)
    body = body.splitTop(1).rest
    pageHeight = max(1, body.height - 1)
    guard body.height > 1 else { return }
    let showID = body.width - Self.fixedColumns - Self.idColumns >= Self.nameMinimum
    let nameColumns = max(8, body.width - Self.fixedColumns - (showID ? Self.idColumns : 0))
    let header =
      TextWrap.padRight("Image", to: nameColumns)
      + (showID ? TextWrap.padRight("  ID", to: Self.idColumns) : "")
      + TextWrap.padLeft("Size", to: 9) + TextWrap.padLeft("Layers", to: 8) + "  Created"
    buffer.write(
      header, x: body.x, y: body.y, style: TextStyle(isDim: true),
      limit: body.x + body.width)
    body = body.splitTop(1).rest
    if found.isEmpty {
      let note = entries.isEmpty ? "This source holds no images." : "No image matches the filter."
      buffer.write(note, x: body.x + 1, y: body.y, limit: body.x + body.width)
      return
    }
    selected = min(selected, found.count - 1)
    if selected < top { top = selected }
    if selected >= top + body.height { top = selected - body.height + 1 }
    let showPlatform = Set(entries.map(\.platform)).count > 1
    for row in 0..<body.height where top + row < found.count {
      let entry = entries[found[top + row]]
      let style = top + row == selected ? TextStyle(isReversed: true) : TextStyle.plain
      let names = Self.namesText(entry, showPlatform: showPlatform)
      let id = "  " + TextWrap.padRight(String(Digest.hex(entry.id).prefix(12)), to: 12)
      let text =
        TextWrap.padRight(TextWrap.truncate(names, to: nameColumns - 1), to: nameColumns)
        + (showID ? id : "")
        + TextWrap.padLeft(entry.sizeBytes.map(ByteCountText.format) ?? "?", to: 9)
        + TextWrap.padLeft("\(entry.layerCount)", to: 8) + "  "
        + (entry.created.map(DateText.format) ?? "")
      buffer.write(text, x: body.x, y: body.y + row, style: style, columns: body.width)
    }
  }
}
