import Foundation

/// One image of imagedb, with its config checked against its name.
struct ImageRecord: Sendable {
  /// The image ID: `sha256:` of the config bytes.
  var id: String
  var config: ImageConfig
  /// `metadata/sha256/<hex>/parent`: the image this one was built on (classic builder and
  /// `docker commit` only).
  var parent: String?
  /// Every repository name pointing at the image, sorted.
  var names: [String]
}

/// Reads imagedb: image configs by ID, and their metadata.
struct ImageDB {
  /// `image/overlay2/imagedb`.
  let folder: DataRootFolder

  /// Every image ID with a content file.
  func imageIDs() throws(DataRootError) -> [String] {
    let content = try folder.folder("content/sha256")
    return try content.names().compactMap { name in
      let digest = "sha256:" + String(decoding: name, as: UTF8.self)
      return Digest.isValidSHA256(digest) ? digest : nil
    }.sorted()
  }

  /// Reads and checks one image's config.
  ///
  /// - Throws: ``DataRootError/configDigestMismatch(path:actual:)`` when the bytes do not hash
  ///   to the name; ``DataRootError/malformed(path:detail:)`` when they are not a config.
  func image(id: String, names: [String]) throws(DataRootError) -> ImageRecord {
    let path = "content/sha256/" + Digest.hex(id)
    let bytes = try folder.read(path)
    let actual = Digest.sha256(bytes)
    guard actual == id else {
      throw .configDigestMismatch(path: folder.path + "/" + path, actual: actual)
    }
    let config: ImageConfig
    do {
      config = try ImageConfig.decode(Data(bytes), source: folder.path + "/" + path)
    } catch {
      throw .malformed(path: folder.path + "/" + path, detail: error.description)
    }
    let parent = try folder.text("metadata/sha256/" + Digest.hex(id) + "/parent")
    return ImageRecord(
      id: id, config: config, parent: parent.flatMap { Digest.isValidSHA256($0) ? $0 : nil },
      names: names)
  }
}

/// Reads `repositories.json`: which names point at which image.
enum RepositoriesFile {
  /// The file's shape: `{"Repositories":{"<repo>":{"<repo>:<tag>":"sha256:<id>"}}}`.
  private struct Contents: Decodable {
    var repositories: [String: [String: String]]?

    enum CodingKeys: String, CodingKey {
      case repositories = "Repositories"
    }
  }

  /// Names by image ID, each list sorted; empty when the file does not exist (no tags yet).
  static func names(in imageStore: DataRootFolder) throws(DataRootError) -> [String: [String]] {
    let bytes: [UInt8]
    do {
      bytes = try imageStore.read("repositories.json")
    } catch .vanished {
      return [:]
    }
    let contents: Contents
    do {
      contents = try JSONDecoder().decode(Contents.self, from: Data(bytes))
    } catch {
      throw .malformed(path: imageStore.path + "/repositories.json", detail: describe(error))
    }
    var result: [String: [String]] = [:]
    for (_, references) in contents.repositories ?? [:] {
      for (reference, id) in references { result[id, default: []].append(reference) }
    }
    return result.mapValues { $0.sorted() }
  }
}
