/// Picks one image of a catalog by name, digest prefix and platform.
public enum ImageSelector {
  /// Returns the index of the one entry matching `request` (a tag or a digest prefix, nil for
  /// any) and `platform` (`os/arch[/variant]`, nil for any).
  ///
  /// - Throws: ``ImageSourceError/ambiguous(path:choices:)`` when several match,
  ///   ``ImageSourceError/noMatch(request:choices:)`` when none does.
  public static func select(
    in catalog: any ImageCatalog, request: String?, platform: String?
  ) throws(ImageSourceError) -> Int {
    let entries = catalog.entries
    var matches = Array(entries.indices)
    if let request {
      let byName = matches.filter { entries[$0].names.contains { matchesName($0, request) } }
      matches = byName.isEmpty ? matches.filter { matchesDigest(entries[$0], request) } : byName
    }
    if let platform {
      matches = matches.filter {
        entries[$0].platform.map { matchesPlatform($0, platform) } ?? false
      }
    }
    let choices = entries.map(describe)
    switch matches.count {
    case 1: return matches[0]
    case 0:
      let what = [request, platform.map { "platform " + $0 }].compactMap { $0 }
      throw .noMatch(request: what.joined(separator: ", "), choices: choices)
    default:
      throw .ambiguous(path: catalog.sourcePath, choices: matches.map { describe(entries[$0]) })
    }
  }

  /// How a choice reads in messages: its first name, its platform and its short ID.
  public static func describe(_ entry: CatalogEntry) -> String {
    var text = entry.names.first ?? "<untagged>"
    if let platform = entry.platform { text += " [\(platform)]" }
    return text + " " + Digest.short(entry.id)
  }

  /// Whether an image name matches a requested one, with Docker's short forms: `nginx` means
  /// `nginx:latest`, and `docker.io/library/` may be left out.
  static func matchesName(_ name: String, _ request: String) -> Bool {
    normalize(name) == normalize(request) || name == request
  }

  private static func normalize(_ reference: String) -> String {
    var name = reference
    for prefix in ["docker.io/library/", "docker.io/", "localhost/"] where name.hasPrefix(prefix) {
      name.removeFirst(prefix.count)
      break
    }
    let lastPart = name.split(separator: "/").last ?? ""
    if !lastPart.contains(":") && !name.contains("@") { name += ":latest" }
    return name
  }

  static func matchesDigest(_ entry: CatalogEntry, _ request: String) -> Bool {
    let wanted = request.hasPrefix("sha256:") ? String(request.dropFirst(7)) : request
    guard wanted.count >= 4, wanted.allSatisfy(\.isHexDigit) else { return false }
    return [entry.id, entry.manifestDigest].compactMap { $0 }.contains {
      Digest.hex($0).hasPrefix(wanted.lowercased())
    }
  }

  static func matchesPlatform(_ platform: String, _ request: String) -> Bool {
    platform == request || platform.hasPrefix(request + "/")
  }
}
