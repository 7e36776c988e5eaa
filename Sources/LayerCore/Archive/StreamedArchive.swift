import Foundation

/// An image archive whose outer tar is compressed (`docker save | gzip > image.tar.gz`).
///
/// Its members cannot be reached by offset, so the archive is read as a stream: a first pass
/// keeps the small JSON members in memory and notes every member's name; when an image is
/// opened, one more pass scans all of its layers together, each as a tar inside the member.
/// Nothing is written to disk.
final class StreamedArchive: @unchecked Sendable {
  private struct Member {
    var size: Int64
    var json: Data?
    var link: String?
    var isDirectory: Bool
  }

  /// Members larger than this are never kept in memory; metadata is far smaller.
  static let metadataLimit: Int64 = 16 << 20

  let path: String
  private let members: [String: Member]
  private let lock = NSLock()
  private var wanted: [String: WantedLayer] = [:]
  private var scans: [String: Result<LayerScan, ImageSourceError>] = [:]

  init(path: String) throws(ImageSourceError) {
    self.path = path
    let stream = try TarStream(range: try FileRange.wholeFile(path), name: path)
    var found: [String: Member] = [:]
    while let header = try stream.next() {
      guard let raw = header.rawPath else { continue }
      let name = ArchiveIndex.clean(String(cString: raw))
      guard !name.isEmpty else { continue }
      var member = Member(size: header.size, isDirectory: header.kind == .directory)
      if let target = header.symlink {
        member.link = ArchiveIndex.resolve(link: String(cString: target), from: name)
      } else if let target = header.hardlink {
        member.link = ArchiveIndex.clean(String(cString: target))
      } else if header.kind == .regular && header.size <= Self.metadataLimit {
        var data = Data()
        try stream.readData { data.append(contentsOf: $0) }
        if data.first(where: { !$0.isWhitespace }).map({ $0 == 0x7b || $0 == 0x5b }) ?? false {
          member.json = data
        }
      }
      found[name] = member
    }
    members = found
  }

  /// Whether the archive's outer tar is compressed, which is when it must be streamed.
  static func isCompressed(_ path: String) throws(ImageSourceError) -> Bool {
    let stream = try TarStream(range: try FileRange.wholeFile(path), name: path)
    return !stream.isUncompressed
  }

  private func resolve(_ name: String) -> (String, Member)? {
    var current = ArchiveIndex.clean(name)
    for _ in 0..<8 {
      guard let member = members[current] else { return nil }
      guard let next = member.link else { return (current, member) }
      current = next
    }
    return nil
  }

  /// Whether `name` is a file of the archive.
  func contains(_ name: String) -> Bool {
    resolve(name).map { !$0.1.isDirectory } ?? false
  }

  /// The size of member `name`.
  func size(of name: String) -> Int64? { resolve(name)?.1.size }

  /// The bytes of a small JSON member.
  func json(_ name: String) throws(ImageSourceError) -> Data? {
    guard let (_, member) = resolve(name) else { return nil }
    guard let data = member.json else {
      throw .corrupt(file: "\(path):\(name)", detail: "not a JSON file of at most 16 MiB")
    }
    return data
  }

  /// A layer the next pass reads, with the digests to check it against.
  struct WantedLayer {
    var name: String
    /// The stored bytes' digest, checked whatever the compression.
    var digest: String?
    /// The digest to check only when the layer turns out to be an uncompressed tar.
    var plainDigest: String?
  }

  /// Names the layers the next scans will ask for, so one pass can read them all.
  func prepare(layers: [WantedLayer]) {
    lock.lock()
    defer { lock.unlock() }
    wanted = [:]
    scans = [:]
    for layer in layers {
      if let (real, _) = resolve(layer.name) { wanted[real] = layer }
    }
  }

  /// The scan of layer member `name`, reading every prepared layer in one pass the first time.
  func scan(_ name: String) throws(ImageSourceError) -> LayerScan {
    guard let (real, _) = resolve(name) else { throw .missingBlob("\(path):\(name)") }
    lock.lock()
    defer { lock.unlock() }
    if scans[real] == nil {
      if wanted[real] == nil { wanted[real] = WantedLayer(name: real) }
      passScanningWanted()
    }
    guard let result = scans[real] else { throw .missingBlob("\(path):\(name)") }
    return try result.get()
  }

  private func passScanningWanted() {
    let pending = wanted.filter { scans[$0.key] == nil }
    do {
      let outer = try TarStream(range: try FileRange.wholeFile(path), name: path)
      var left = pending.count
      while left > 0, let header = try outer.next() {
        guard let raw = header.rawPath else { continue }
        let name = ArchiveIndex.clean(String(cString: raw))
        guard header.hardlink == nil, header.symlink == nil, let layer = pending[name] else {
          continue
        }
        left -= 1
        scans[name] = Result { () throws(ImageSourceError) -> LayerScan in
          let inner = try TarStream(
            member: outer, name: "\(path):\(name)", digest: layer.digest,
            plainDigest: layer.plainDigest)
          let scan = try TarLayerSource.scan(inner)
          try inner.verifyDigest()
          return scan
        }
      }
    } catch {
      // The outer stream broke: every layer not read yet fails with it.
      for name in pending.keys where scans[name] == nil { scans[name] = .failure(error) }
    }
  }

  /// SHA-256 of the named files of layer member `name`, in a pass of its own.
  func fingerprints(
    _ name: String, of paths: Set<[UInt8]>
  ) throws(ImageSourceError) -> [[UInt8]: [UInt8]] {
    guard let (real, _) = resolve(name) else { throw .missingBlob("\(path):\(name)") }
    let outer = try TarStream(range: try FileRange.wholeFile(path), name: path)
    while let header = try outer.next() {
      guard let raw = header.rawPath, ArchiveIndex.clean(String(cString: raw)) == real,
        header.hardlink == nil, header.symlink == nil
      else { continue }
      let inner = try TarStream(member: outer, name: "\(path):\(real)", digest: nil)
      return try TarLayerSource.fingerprints(inner, of: paths)
    }
    throw .missingBlob("\(path):\(name)")
  }
}

/// A layer inside a compressed outer archive.
struct StreamedLayerSource: LayerSource {
  let archive: StreamedArchive
  let name: String

  func scan() throws -> LayerScan { try archive.scan(name) }

  func fingerprints(of paths: Set<[UInt8]>) throws -> [[UInt8]: [UInt8]] {
    try archive.fingerprints(name, of: paths)
  }
}

extension UInt8 {
  fileprivate var isWhitespace: Bool {
    self == 0x20 || self == 0x0a || self == 0x0d || self == 0x09
  }
}
