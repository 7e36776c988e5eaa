import Foundation

/// A container's own layers, from `layerdb/mounts/<container ID>/`, with its name and image
/// from `containers/<container ID>/config.v2.json` when that can be read.
public struct ContainerLayers: Sendable, Equatable {
  /// The container ID (64 hex digits).
  public var id: String
  /// The name without Docker's leading `/`, when known.
  public var name: String?
  /// The image ID the container was created from, when known.
  public var imageID: String?
  /// The chain ID of the image's top layer (`parent`); nil for a container with no image layers.
  public var parentChainID: String?
  /// The overlay2 folder of the read-write layer (`mount-id`).
  public var mountID: String
  /// The overlay2 folder of the init layer (`init-id`), when it has one.
  public var initID: String?
  /// When the container was created, as Docker wrote it.
  public var created: String?

  /// The name, or the short ID.
  public var title: String { name ?? String(id.prefix(12)) }

  /// The parts of `config.v2.json` read here.
  private struct Config: Decodable {
    var name: String?
    var image: String?
    var created: String?

    enum CodingKeys: String, CodingKey {
      case name = "Name"
      case image = "Image"
      case created = "Created"
    }
  }

  /// Reads every container with a mount entry; a container half-removed is left out.
  static func all(root: DataRootFolder, layerDB: DataRootFolder) throws(DataRootError)
    -> [ContainerLayers]
  {
    let mounts: DataRootFolder
    do {
      mounts = try layerDB.folder("mounts")
    } catch .vanished {
      return []
    }
    var result: [ContainerLayers] = []
    for name in try mounts.names() {
      let id = String(decoding: name, as: UTF8.self)
      guard id.count == 64, id.allSatisfy(\.isHexDigit) else { continue }
      do {
        result.append(try read(id: id, mounts: mounts, root: root))
      } catch .vanished {
        continue
      }
    }
    return result.sorted { ($0.created ?? "", $0.id) > ($1.created ?? "", $1.id) }
  }

  private static func read(
    id: String, mounts: DataRootFolder, root: DataRootFolder
  ) throws(DataRootError) -> ContainerLayers {
    let folder = try mounts.folder(id)
    guard let mountID = try folder.text("mount-id"), !mountID.isEmpty else {
      throw .vanished(path: folder.path + "/mount-id")
    }
    let parent = try folder.text("parent")
    var layers = ContainerLayers(
      id: id, name: nil, imageID: nil, parentChainID: parent, mountID: mountID,
      initID: try folder.text("init-id"), created: nil)
    if let bytes = try? root.read("containers/" + id + "/config.v2.json"),
      let config = try? JSONDecoder().decode(Config.self, from: Data(bytes))
    {
      layers.name = config.name.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
      layers.imageID = config.image
      layers.created = config.created
    }
    return layers
  }

  /// The one container whose name or ID prefix is `request`.
  static func select(_ request: String, in containers: [ContainerLayers]) throws(DataRootError)
    -> ContainerLayers
  {
    let wanted = request.hasPrefix("/") ? String(request.dropFirst()) : request
    if let byName = containers.first(where: { $0.name == wanted || $0.id == wanted }) {
      return byName
    }
    let byPrefix = containers.filter { $0.id.hasPrefix(wanted.lowercased()) }
    guard !wanted.isEmpty, let first = byPrefix.first else {
      throw .noMatch(request: request, kind: "container")
    }
    guard byPrefix.count == 1 else {
      throw .ambiguous(request: request, matches: byPrefix.map(\.title))
    }
    return first
  }
}
