/// Why an image could not be opened or read.
public enum ImageSourceError: Error, Equatable, CustomStringConvertible {
  /// The path does not exist or cannot be opened.
  case cannotOpen(path: String, reason: String)
  /// Permission was refused.
  case permissionDenied(path: String)
  /// The file is neither an image archive nor a layout nor a data root.
  case unrecognized(path: String)
  /// A JSON file (manifest, index, config) could not be decoded.
  case malformedJSON(file: String, detail: String)
  /// A file the manifest refers to is not there.
  case missingBlob(String)
  /// The archive or a layer tar ended early or is corrupt.
  case corrupt(file: String, detail: String)
  /// A layer entry's name leaves the image root (`../../etc`).
  case pathEscapesRoot(entry: String)
  /// A whiteout name with nothing to remove (`.wh.`, `.wh..`).
  case invalidWhiteout(entry: String)
  /// A digest did not match the content it names.
  case digestMismatch(file: String, expected: String, actual: String)
  /// The source holds no image.
  case noImages(path: String)
  /// The source holds several images and none was chosen.
  case ambiguous(path: String, choices: [String])
  /// No image matched the requested name, digest or platform.
  case noMatch(request: String, choices: [String])
  /// The layers named by the manifest and the config do not line up.
  case layerCountMismatch(manifest: Int, config: Int)
  /// Something else specific to one format.
  case unsupported(String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason): "cannot open '\(path)': \(reason)"
    case .permissionDenied(let path):
      "permission denied reading '\(path)' (try again with sudo)"
    case .unrecognized(let path):
      "'\(path)' is not an image archive, an OCI layout or a Docker data root"
    case .malformedJSON(let file, let detail): "malformed JSON in '\(file)': \(detail)"
    case .missingBlob(let name): "'\(name)' is missing"
    case .corrupt(let file, let detail): "'\(file)' is corrupt: \(detail)"
    case .pathEscapesRoot(let entry): "entry '\(entry)' escapes the image root"
    case .invalidWhiteout(let entry): "entry '\(entry)' is an invalid whiteout"
    case .digestMismatch(let file, let expected, let actual):
      "'\(file)' does not match its digest: expected \(expected), found \(actual)"
    case .noImages(let path): "'\(path)' holds no image"
    case .ambiguous(let path, let choices):
      "'\(path)' holds \(choices.count) images; name one: " + Self.some(choices)
    case .noMatch(let request, let choices):
      "no image matches '\(request)'; choices: " + Self.some(choices)
    case .layerCountMismatch(let manifest, let config):
      "the manifest lists \(manifest) layers but the config has \(config) diff IDs"
    case .unsupported(let what): what
    }
  }

  /// The first ten choices; a data root can hold hundreds, and the message stays one line.
  private static func some(_ choices: [String]) -> String {
    let shown = choices.prefix(10).joined(separator: ", ")
    return choices.count > 10 ? shown + " (+\(choices.count - 10) more; --list shows all)" : shown
  }
}
