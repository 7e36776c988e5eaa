import Foundation

/// The files of an image source addressed by relative name: members of an archive, or files
/// of an unpacked layout directory.
enum ImageFiles: Sendable {
  case archive(ArchiveIndex)
  case directory(String)

  /// The path the user named.
  var path: String {
    switch self {
    case .archive(let index): index.path
    case .directory(let path): path
    }
  }

  /// The byte range of `name`, or nil when it is not there.
  func range(of name: String) throws(ImageSourceError) -> FileRange? {
    switch self {
    case .archive(let index):
      guard let member = index.member(name), !member.isDirectory else { return nil }
      return member.range
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
  func contains(_ name: String) -> Bool { ((try? range(of: name)) ?? nil) != nil }

  /// Reads a small file (JSON) in full.
  func read(_ name: String) throws(ImageSourceError) -> Data {
    guard let range = try range(of: name) else { throw .missingBlob(describe(name)) }
    return try range.readAll()
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
