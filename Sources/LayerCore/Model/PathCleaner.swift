/// Turns the raw names found in layer tars into the model's clean relative paths.
public enum PathCleaner {
  /// The result of cleaning one entry name.
  public enum Outcome: Equatable, Sendable {
    /// A normal entry at this path.
    case entry([UInt8])
    /// `.wh.<name>`: removes the path.
    case whiteout([UInt8])
    /// `.wh..wh..opq`: hides the lower children of this directory (empty for the root).
    case opaque([UInt8])
    /// The image root itself (`./` or `/`): nothing to record.
    case root
    /// Other `.wh..wh.` names (AUFS hard-link storage): skipped.
    case ignored
  }

  /// Why a name was refused.
  public enum Failure: Error, Equatable, Sendable {
    /// The name climbs out of the image root through `..`.
    case escapesRoot
    /// A `.wh.` name with nothing, `.` or `..` after the prefix.
    case invalidWhiteout
  }

  private static let slash = UInt8(ascii: "/")
  private static let dot = UInt8(ascii: ".")
  private static let whiteoutPrefix: [UInt8] = Array(".wh.".utf8)
  private static let metaPrefix: [UInt8] = Array(".wh..wh.".utf8)
  private static let opaqueName: [UInt8] = Array(".wh..wh..opq".utf8)

  /// Cleans `name`: drops leading `/` and `./`, empty and `.` components, resolves `..`, and
  /// refuses names that leave the root.
  public static func clean(_ name: some Collection<UInt8>) throws(Failure) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(name.count)
    var componentStarts: [Int] = []
    var component: [UInt8] = []
    func flush() throws(Failure) {
      defer { component.removeAll(keepingCapacity: true) }
      if component.isEmpty || component == [dot] { return }
      if component == [dot, dot] {
        guard let start = componentStarts.popLast() else { throw .escapesRoot }
        out.removeSubrange((start == 0 ? 0 : start - 1)...)
        return
      }
      if !out.isEmpty { out.append(slash) }
      componentStarts.append(out.count)
      out.append(contentsOf: component)
    }
    for byte in name {
      if byte == slash { try flush() } else { component.append(byte) }
    }
    try flush()
    return out
  }

  /// Classifies a raw tar entry name.
  public static func classify(_ name: some Collection<UInt8>) throws(Failure) -> Outcome {
    let path = try clean(name)
    if path.isEmpty { return .root }
    let baseStart = (path.lastIndex(of: slash).map { $0 + 1 }) ?? 0
    let base = path[baseStart...]
    guard base.starts(with: whiteoutPrefix) else { return .entry(path) }
    let parent = Array(path[..<max(0, baseStart - 1)])
    if base.elementsEqual(opaqueName) { return .opaque(parent) }
    if base.starts(with: metaPrefix) { return .ignored }
    let target = base.dropFirst(whiteoutPrefix.count)
    if target.isEmpty || target.elementsEqual([dot]) || target.elementsEqual([dot, dot]) {
      throw .invalidWhiteout
    }
    return .whiteout(parent.isEmpty ? Array(target) : parent + [slash] + target)
  }
}
