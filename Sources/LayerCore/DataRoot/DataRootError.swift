/// Why a Docker data root, or something in it, could not be read.
///
/// Messages are lower-case phrases naming the file or layer in single quotes; the ones a user
/// can act on say what to do next.
public enum DataRootError: Error, Equatable, CustomStringConvertible {
  /// The folder does not exist or is not a folder.
  case notFound(path: String)
  /// The kernel refused access: the data root is readable by root only.
  case permissionDenied(path: String)
  /// The folder holds no graph-driver image store (`image/overlay2`).
  case notADataRoot(path: String)
  /// Docker 29+ keeps its images in containerd here: `image/overlay2` was never made.
  case containerdImageStore(path: String, found: String)
  /// The data root uses a graph driver other than overlay2.
  case unsupportedDriver(path: String, driver: String)
  /// Several userns-remap subfolders hold images and none was named.
  case severalRemapRoots(path: String, choices: [String])
  /// A file named by another one is gone (dockerd may be removing the image right now).
  case vanished(path: String)
  /// A file could not be read for another reason (`errno` text).
  case unreadable(path: String, reason: String)
  /// A file's content is not what its format requires.
  case malformed(path: String, detail: String)
  /// A config's sha256 is not its file name.
  case configDigestMismatch(path: String, actual: String)
  /// A layerdb entry's `diff` or `parent` does not match the chain computed from the config.
  case chainMismatch(chainID: String, detail: String)
  /// An image's layer chain is not (or no longer) in layerdb.
  case missingLayer(chainID: String, image: String)
  /// A layer's `tar-split.json.gz` could not be decoded.
  case badTarSplit(chainID: String, detail: String)
  /// No image or container matched what the user asked for.
  case noMatch(request: String, kind: String)
  /// An ID prefix matched several images or containers.
  case ambiguous(request: String, matches: [String])
  /// A path inside a layer climbs out of the root or holds a symlink where a folder should be.
  case unsafePath(path: String)

  public var description: String {
    switch self {
    case .notFound(let path): "'\(path)' does not exist or is not a folder"
    case .permissionDenied(let path):
      "permission denied reading '\(path)'; run layerscope with sudo"
    case .notADataRoot(let path):
      "'\(path)' is not a Docker data root (no 'image/overlay2' inside)"
    case .containerdImageStore(let path, let found):
      "'\(path)' is a Docker data root (found \(found)) with no 'image/overlay2': its images "
        + "are in containerd's image store (Docker 29's default), which layerscope cannot read "
        + "yet; 'docker save' archives work meanwhile"
    case .unsupportedDriver(let path, let driver):
      "'\(path)' uses the '\(driver)' storage driver; only overlay2 data roots can be read"
    case .severalRemapRoots(let path, let choices):
      "'\(path)' holds several userns-remap roots; name one: " + choices.joined(separator: ", ")
    case .vanished(let path):
      "'\(path)' disappeared while reading; dockerd may be removing it, try again"
    case .unreadable(let path, let reason): "cannot read '\(path)': \(reason)"
    case .malformed(let path, let detail): "'\(path)' is malformed: \(detail)"
    case .configDigestMismatch(let path, let actual):
      "'\(path)' does not match its name: its sha256 is \(actual)"
    case .chainMismatch(let chainID, let detail): "layer '\(chainID)': \(detail)"
    case .missingLayer(let chainID, let image):
      "layer '\(chainID)' of image '\(image)' is not in layerdb (removed, or being removed by "
        + "dockerd)"
    case .badTarSplit(let chainID, let detail):
      "tar-split of layer '\(chainID)' is unusable: \(detail)"
    case .noMatch(let request, let kind): "no \(kind) matches '\(request)'"
    case .ambiguous(let request, let matches):
      "'\(request)' matches several: " + matches.joined(separator: ", ")
    case .unsafePath(let path): "'\(path)' leaves the data root or passes through a symlink"
    }
  }
}
