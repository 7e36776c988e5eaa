/// Where a data root keeps its graph-driver image store, found from the folder the user named.
struct DataRootLayout {
  /// The data root (a userns-remap subfolder when the user named its parent).
  let root: DataRootFolder
  /// `image/overlay2`: repositories.json, imagedb, layerdb.
  let imageStore: DataRootFolder
  /// For a userns-remap root (`<uid>.<gid>`), the host IDs that are root in the containers.
  var remap: RemapIDs?
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

    if var layout = try layout(in: folder, remap: RemapIDs(folderName: lastComponent)) {
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
        in: try folder.folder(remapRoots[0]), remap: RemapIDs(folderName: remapRoots[0]))
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
    in folder: DataRootFolder, remap: RemapIDs?
  ) throws(DataRootError) -> DataRootLayout? {
    // `exists` rather than `contains`: an `image/` folder only root may search must say "sudo",
    // not "no image store here".
    guard try folder.exists("image/overlay2") else { return nil }
    let store = try folder.folder("image/overlay2")
    return DataRootLayout(root: folder, imageStore: store, remap: remap)
  }

  /// Whether a folder name looks like a userns-remap root: `<uid>.<gid>`.
  static func isRemapName(_ name: String) -> Bool {
    RemapIDs(folderName: name) != nil
  }
}

/// The host user and group IDs that a userns-remap data root maps to root in its containers.
///
/// dockerd names the root `<uid>.<gid>` after the first subordinate IDs of the remap user and
/// stores every file of a layer it unpacks, and of a container's layers, under the shifted IDs:
/// container ID `n` is host ID `uid + n` on disk. tar-split keeps the IDs of the tar itself, so
/// only what is read from a diff folder is shifted back. The size of the range (the remap user's
/// `/etc/subuid` count, outside the data root) is not known, so IDs above it are not caught.
struct RemapIDs: Sendable, Equatable {
  var uid: UInt32
  var gid: UInt32

  /// The IDs a `<uid>.<gid>` folder name gives, nil for any other name.
  init?(folderName: String) {
    let parts = folderName.split(separator: ".", omittingEmptySubsequences: false)
    let isDecimal: (Substring) -> Bool = { part in
      !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber }
    }
    guard parts.count == 2, parts.allSatisfy(isDecimal), let uid = UInt32(parts[0]),
      let gid = UInt32(parts[1])
    else { return nil }
    self.uid = uid
    self.gid = gid
  }

  /// The kernel's overflow ID: what a container sees for a host ID outside its range.
  static let overflowID: UInt32 = 65534

  /// The container's view of a host owner. An ID below the range (dockerd leaves a few init
  /// layer symlinks owned by host root) is not mapped, and shows as the overflow ID.
  func containerOwner(uid hostUID: UInt32, gid hostGID: UInt32) -> (UInt32, UInt32) {
    (
      hostUID >= uid ? hostUID - uid : Self.overflowID,
      hostGID >= gid ? hostGID - gid : Self.overflowID
    )
  }
}
