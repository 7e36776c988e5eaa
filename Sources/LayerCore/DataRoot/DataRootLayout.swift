import Glibc

/// Where a data root keeps its graph-driver image store, found from the folder the user named.
struct DataRootLayout {
  /// The data root (a userns-remap subfolder when the user named its parent).
  let root: DataRootFolder
  /// `image/overlay2`: repositories.json, imagedb, layerdb.
  let imageStore: DataRootFolder
  /// How owners on disk map to the owners the containers see, for a daemon that ran in a user
  /// namespace (userns-remap, rootless); nil when they are the same.
  var owners: OwnerMapping?
  /// What the user should know about the choice made, e.g. a remap root left aside.
  var notes: [String] = []

  /// Graph drivers Docker can use on Linux, besides overlay2.
  static let otherDrivers = ["fuse-overlayfs", "btrfs", "zfs", "vfs", "aufs", "devicemapper"]
  /// Folders any Docker data root has, whatever its image store.
  static let dockerFolders = [
    "containers", "volumes", "network", "buildkit", "rootfs", "containerd",
    "plugins", "engine-id",
  ]

  /// Opens the data root at `path` and finds its overlay2 image store.
  ///
  /// A folder holding no image store of its own but exactly one userns-remap root
  /// (`<uid>.<gid>/image/overlay2`) means that root. A folder holding both is read as it is,
  /// with a note naming the remap root beside it.
  ///
  /// - Throws: ``DataRootError/containerdImageStore(path:found:)`` for a Docker 29 data root
  ///   that keeps images in containerd, ``DataRootError/unsupportedDriver(path:driver:)``,
  ///   ``DataRootError/notADataRoot(path:)``, ``DataRootError/permissionDenied(path:)``.
  static func locate(path: String) throws(DataRootError) -> DataRootLayout {
    let folder = try DataRootFolder.open(path: path)
    let remapRoots = try folder.names().map { String(decoding: $0, as: UTF8.self) }
      .filter(isRemapName).filter { folder.hasFolder($0 + "/image/overlay2") }.sorted()
    let lastComponent = path.split(separator: "/").last.map(String.init) ?? ""

    if var layout = try layout(in: folder, owners: OwnerMapping(remapFolderName: lastComponent)) {
      if !remapRoots.isEmpty {
        let names = remapRoots.map { "'" + path + "/" + $0 + "'" }.joined(separator: ", ")
        layout.notes.append(
          "'\(path)' also holds the userns-remap data root \(names), which dockerd uses when "
            + "userns-remap is on; name it to read its images")
      }
      return layout
    }
    if remapRoots.count == 1,
      let layout = try layout(
        in: try folder.folder(remapRoots[0]),
        owners: OwnerMapping(remapFolderName: remapRoots[0]))
    {
      return layout
    }
    if remapRoots.count > 1 {
      throw .severalRemapRoots(path: path, choices: remapRoots.map { path + "/" + $0 })
    }
    for driver in otherDrivers where folder.hasFolder("image/" + driver) {
      throw .unsupportedDriver(path: path, driver: driver)
    }
    let found = dockerFolders.filter { folder.contains($0) }
    if !found.isEmpty {
      throw .containerdImageStore(
        path: path, found: found.map { "'\($0)'" }.joined(separator: ", "))
    }
    throw .notADataRoot(path: path)
  }

  private static func layout(
    in folder: DataRootFolder, owners: OwnerMapping?
  ) throws(DataRootError) -> DataRootLayout? {
    // `exists` rather than `contains`: an `image/` folder only root may search must say "sudo",
    // not "no image store here".
    guard try folder.exists("image/overlay2") else { return nil }
    let store = try folder.folder("image/overlay2")
    var info = stat()
    let rootless = fstat(folder.descriptor, &info) == 0 && info.st_uid != 0
    return DataRootLayout(
      root: folder, imageStore: store,
      owners: owners
        ?? (rootless ? OwnerMapping.rootless(uid: info.st_uid, gid: info.st_gid) : nil))
  }

  /// Whether a folder name looks like a userns-remap root: `<uid>.<gid>`.
  static func isRemapName(_ name: String) -> Bool {
    OwnerMapping(remapFolderName: name) != nil
  }
}
