import Foundation

/// The files of an image source addressed by relative name: members of an archive (read by
/// offset, or streamed when the archive is compressed), or files of a layout directory.
enum ImageFiles: Sendable {
  case archive(ArchiveIndex)
  case stream(StreamedArchive)
  case directory(String)

  /// Opens an archive file, choosing offsets or a stream by its compression.
  static func openArchive(_ path: String) throws(ImageSourceError) -> ImageFiles {
    if try StreamedArchive.isCompressed(path) { return .stream(try StreamedArchive(path: path)) }
    return .archive(try ArchiveIndex(path: path))
  }

  /// The path the user named.
  var path: String {
    switch self {
    case .archive(let index): index.path
    case .stream(let archive): archive.path
    case .directory(let path): path
    }
  }

  /// The byte range of `name` in a file, or nil when it is not there (or is streamed).
  private func range(of name: String) throws(ImageSourceError) -> FileRange? {
    switch self {
    case .archive(let index):
      guard let member = index.member(name), !member.isDirectory else { return nil }
      return member.range
    case .stream:
      return nil
    case .directory(let root):
      let full = root + "/" + name
      var info = stat()
      guard stat(full, &info) == 0 else {
        if errno == EACCES { throw .permissionDenied(path: full) }
        return nil
      }
      guard info.st_mode & S_IFMT == S_IFREG else { return nil }
      return FileRange(path: full, length: Int64(info.st_size))
    }
  }

  /// Whether `name` exists.
  func contains(_ name: String) -> Bool {
    if case .stream(let archive) = self { return archive.contains(name) }
    return ((try? range(of: name)) ?? nil) != nil
  }

  /// The stored size of `name`, or nil when it is not there.
  func size(of name: String) -> Int64? {
    if case .stream(let archive) = self { return archive.size(of: name) }
    return ((try? range(of: name)) ?? nil)?.length
  }

  /// Reads a small file (JSON) in full.
  func read(_ name: String) throws(ImageSourceError) -> Data {
    if case .stream(let archive) = self {
      guard let data = try archive.json(name) else { throw .missingBlob(describe(name)) }
      return data
    }
    guard let range = try range(of: name) else { throw .missingBlob(describe(name)) }
    return try range.readAll()
  }

  /// The source of layer `name`, or nil when the file is not there. `digest` is checked when
  /// the layer is compressed, `plainDigest` (if any) when it is not.
  func layerSource(
    _ name: String, digest: String?, plainDigest: String? = nil
  ) throws(ImageSourceError) -> (any LayerSource)? {
    if case .stream(let archive) = self {
      return archive.contains(name) ? StreamedLayerSource(archive: archive, name: name) : nil
    }
    guard let range = try range(of: name) else { return nil }
    return TarLayerSource(
      range: range, name: describe(name), digest: digest, plainDigest: plainDigest)
  }

  /// Tells a streamed archive which layers are about to be scanned, so it reads them in one
  /// pass.
  func prepare(layers: [StreamedArchive.WantedLayer]) {
    if case .stream(let archive) = self { archive.prepare(layers: layers) }
  }

  /// How messages name a file of this source: `image.tar:manifest.json`.
  func describe(_ name: String) -> String { "\(path):\(name)" }

  /// The path of a blob in an OCI layout.
  static func blobPath(_ digest: String) -> String {
    guard let colon = digest.firstIndex(of: ":") else { return "blobs/" + digest }
    return "blobs/\(digest[..<colon])/\(digest[digest.index(after: colon)...])"
  }

  /// Decodes a JSON file, naming it in the error.
  func decode<T: Decodable>(_ type: T.Type, from name: String) throws(ImageSourceError) -> T {
    let data = try read(name)
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch {
      throw .malformedJSON(file: describe(name), detail: LayerCore.describe(error))
    }
  }
}
