import Foundation

/// A layer stored as a tar (plain or compressed) in a file range: an archive member or a blob.
public struct TarLayerSource: LayerSource {
  public let range: FileRange
  /// How messages name the layer, e.g. `image.tar:blobs/sha256/…`.
  public let name: String
  /// The digest of the stored bytes, checked when the tar is compressed (and so read in full).
  public let digest: String?
  /// The digest to check the stored bytes against when the tar is uncompressed, read a second
  /// time in full for it; nil skips that check (the default: the scan seeks over file data).
  public let plainDigest: String?

  public init(range: FileRange, name: String, digest: String? = nil, plainDigest: String? = nil) {
    self.range = range
    self.name = name
    self.digest = digest
    self.plainDigest = plainDigest
  }

  public func scan() throws -> LayerScan {
    guard range.length > 0 else { return LayerScan() }
    let stream = try TarStream(range: range, name: name)
    if let digest { stream.hashStoredBytes(expecting: digest) }
    let scan = try Self.scan(stream)
    try stream.verifyDigest()
    if let plainDigest { try stream.verifyUncompressed(against: plainDigest) }
    return scan
  }

  public func fingerprints(of paths: Set<[UInt8]>) throws -> [[UInt8]: [UInt8]] {
    guard range.length > 0 else { return [:] }
    return try Self.fingerprints(TarStream(range: range, name: name), of: paths)
  }

  /// Reads every header of a tar stream into a scan, cleaning and classifying names.
  static func scan(_ stream: TarStream) throws(ImageSourceError) -> LayerScan {
    var scan = LayerScan()
    while let header = try stream.next() {
      scan.entryCount += 1
      scan.contentSize += header.size
      guard let rawPath = header.rawPath else { continue }
      let raw = UnsafeRawBufferPointer(start: rawPath, count: strlen(rawPath))
      let outcome: PathCleaner.Outcome
      do throws(PathCleaner.Failure) {
        outcome = try PathCleaner.classify(raw)
      } catch {
        throw error == .escapesRoot
          ? .pathEscapesRoot(entry: String(decoding: raw, as: UTF8.self))
          : .invalidWhiteout(entry: String(decoding: raw, as: UTF8.self))
      }
      var link: [UInt8] = []
      if let target = header.symlink {
        link = Array(UnsafeRawBufferPointer(start: target, count: strlen(target)))
      } else if let target = header.hardlink {
        let rawTarget = UnsafeRawBufferPointer(start: target, count: strlen(target))
        do throws(PathCleaner.Failure) {
          link = try PathCleaner.clean(rawTarget)
        } catch {
          throw .pathEscapesRoot(entry: String(decoding: rawTarget, as: UTF8.self))
        }
      }
      switch outcome {
      case .entry(let path):
        scan.append(
          path: path, kind: header.kind, mode: header.mode, uid: header.uid, gid: header.gid,
          size: header.size, link: link)
      case .whiteout(let path):
        scan.append(
          path: path, kind: .whiteout, mode: 0, uid: 0, gid: 0, size: header.size,
          link: [])
      case .opaque(let path):
        scan.append(
          path: path, kind: .opaqueMarker, mode: 0, uid: 0, gid: 0, size: header.size,
          link: [])
      case .root, .ignored:
        continue
      }
    }
    return scan
  }

  /// SHA-256 of the data of each named regular file of a tar stream.
  static func fingerprints(
    _ stream: TarStream, of paths: Set<[UInt8]>
  ) throws(ImageSourceError) -> [[UInt8]: [UInt8]] {
    var result: [[UInt8]: [UInt8]] = [:]
    while let header = try stream.next() {
      guard header.kind == .regular, let rawPath = header.rawPath else { continue }
      let raw = UnsafeRawBufferPointer(start: rawPath, count: strlen(rawPath))
      guard let path = try? PathCleaner.clean(raw), paths.contains(path) else { continue }
      let hasher = SHA256Hasher()
      try stream.readData { hasher.update($0) }
      result[path] = hasher.finish()
    }
    return result
  }
}
