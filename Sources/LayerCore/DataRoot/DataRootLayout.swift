/// Where a data root keeps its graph-driver image store, found from the folder the user named.
struct DataRootLayout {
  /// The data root (a userns-remap subfolder when the user named its parent).
  let root: DataRootFolder
  /// `image/overlay2`: repositories.json, imagedb, layerdb.
  let imageStore: DataRootFolder

  /// Graph drivers Docker can use on Linux, besides overlay2.
  static let otherDrivers = ["fuse-overlayfs", "btrfs", "zfs", "vfs", "aufs", "devicemapper"]
  /// Folders any Docker data root has, whatever its image store.
  static let dockerFolders = [
    "containers", "volumes", "network", "buildkit", "rootfs", "containerd",
    "plugins", "engine-id",
  ]

  /// Opens the data root at `path` and finds its overlay2 image store.
  ///
  /// - Throws: ``DataRootError/containerdImageStore(path:found:)`` for a Docker 29 data root
  ///   that keeps images in containerd, ``DataRootError/unsupportedDriver(path:driver:)``,
  ///   ``DataRootError/notADataRoot(path:)``, ``DataRootError/permissionDenied(path:)``.
  static func locate(path: String) throws(DataRootError) -> DataRootLayout {
    let folder = try DataRootFolder.open(path: path)
    if let layout = try layout(in: folder) { return layout }

    let remapRoots = try folder.names().map { String(decoding: $0, as: UTF8.self) }
      .filter(isRemapName).filter { folder.hasFolder($0 + "/image/overlay2") }.sorted()
    if remapRoots.count == 1, let layout = try layout(in: try folder.folder(remapRoots[0])) {
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

  private static func layout(in folder: DataRootFolder) throws(DataRootError) -> DataRootLayout? {
    guard folder.contains("image/overlay2") else { return nil }
    let store = try folder.folder("image/overlay2")
    return DataRootLayout(root: folder, imageStore: store)
  }

  /// Whether a folder name looks like a userns-remap root: `<uid>.<gid>`.
  static func isRemapName(_ name: String) -> Bool {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
  }
}
