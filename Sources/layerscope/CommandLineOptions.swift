import LayerCore

/// What the user asked for on the command line.
struct CommandLineOptions: Equatable {
  /// An archive, an OCI layout directory, or a Docker data root.
  var source: String?
  /// A tag or digest prefix naming one image of the source.
  var image: String?
  /// `--json` given; `jsonFile` is nil for standard output.
  var json = false
  var jsonFile: String?
  var ci = false
  var ciConfig: String?
  /// Rule values given as flags, applied after the config file.
  var ruleFlags: [(String, String)] = []
  var platform: String?
  var list = false
  var tree = false
  var container: String?
  var ignoreErrors = false
  /// `--verify`: check uncompressed layers against their digests too.
  var verify = false
  var keys: String?
  var keysFile: String?
  var help = false
  var version = false

  static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.source == rhs.source && lhs.image == rhs.image && lhs.json == rhs.json
      && lhs.jsonFile == rhs.jsonFile && lhs.ci == rhs.ci && lhs.ciConfig == rhs.ciConfig
      && lhs.ruleFlags.map { "\($0.0)=\($0.1)" } == rhs.ruleFlags.map { "\($0.0)=\($0.1)" }
      && lhs.platform == rhs.platform && lhs.list == rhs.list && lhs.tree == rhs.tree
      && lhs.container == rhs.container && lhs.ignoreErrors == rhs.ignoreErrors
      && lhs.verify == rhs.verify && lhs.keys == rhs.keys && lhs.keysFile == rhs.keysFile
      && lhs.help == rhs.help && lhs.version == rhs.version
  }
}

/// A command line that cannot be understood; exits with 64 (`EX_USAGE`).
struct UsageError: Error, CustomStringConvertible {
  var description: String
}

/// The hand-written parser for layerscope's arguments.
enum CommandLineParser {
  /// Options that take a value, with the field they fill.
  private static let valued = [
    "--ci-config", "--platform", "--container", "--keys", "--keys-file",
    "--lowest-efficiency", "--highest-wasted-bytes", "--highest-user-wasted-percent",
    "--lowestEfficiency", "--highestWastedBytes", "--highestUserWastedPercent",
  ]
  private static let flags = [
    "--json", "--ci", "--list", "--tree", "--ignore-errors", "--verify", "--help", "-h",
    "--version",
  ]

  /// Every option, for "did you mean".
  static var allOptions: [String] { valued + flags }

  static func parse(_ arguments: [String]) throws(UsageError) -> CommandLineOptions {
    var options = CommandLineOptions()
    var positionals: [String] = []
    var index = 0
    func value(for option: String, inline: String?) throws(UsageError) -> String {
      if let inline { return inline }
      index += 1
      guard index < arguments.count else {
        throw UsageError(description: "missing value for '\(option)'")
      }
      return arguments[index]
    }
    while index < arguments.count {
      let argument = arguments[index]
      defer { index += 1 }
      if argument == "--" {
        positionals += arguments[(index + 1)...]
        index = arguments.count
        break
      }
      guard argument.hasPrefix("-"), argument != "-" else {
        positionals.append(argument)
        continue
      }
      let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
      let name = parts[0]
      let inline = parts.count == 2 ? parts[1] : nil
      switch name {
      case "--json":
        options.json = true
        if let inline {
          options.jsonFile = inline
        } else if index + 1 < arguments.count,
          !arguments[index + 1].hasPrefix("-")
            || arguments[index + 1] == "-", positionals.count >= 1
        {
          index += 1
          options.jsonFile = arguments[index]
        }
      case "--ci": options.ci = true
      case "--list": options.list = true
      case "--tree": options.tree = true
      case "--ignore-errors": options.ignoreErrors = true
      case "--verify": options.verify = true
      case "--help", "-h": options.help = true
      case "--version": options.version = true
      case "--ci-config": options.ciConfig = try value(for: name, inline: inline)
      case "--platform": options.platform = try value(for: name, inline: inline)
      case "--container": options.container = try value(for: name, inline: inline)
      case "--keys": options.keys = try value(for: name, inline: inline)
      case "--keys-file": options.keysFile = try value(for: name, inline: inline)
      case "--lowest-efficiency", "--lowestEfficiency":
        options.ruleFlags.append(("lowestEfficiency", try value(for: name, inline: inline)))
      case "--highest-wasted-bytes", "--highestWastedBytes":
        options.ruleFlags.append(("highestWastedBytes", try value(for: name, inline: inline)))
      case "--highest-user-wasted-percent", "--highestUserWastedPercent":
        options.ruleFlags.append(
          ("highestUserWastedPercent", try value(for: name, inline: inline)))
      default:
        var message = "unknown option '\(name)'"
        if let guess = closest(to: name) { message += "; did you mean '\(guess)'?" }
        throw UsageError(description: message)
      }
    }
    if options.jsonFile == "-" { options.jsonFile = nil }
    guard positionals.count <= 2 else {
      throw UsageError(description: "unexpected argument '\(positionals[2])'")
    }
    options.source = positionals.first
    options.image = positionals.count > 1 ? positionals[1] : nil
    if options.source == nil && !options.help && !options.version {
      throw UsageError(description: "missing the image archive, OCI layout or data root to read")
    }
    return options
  }

  /// The known option nearest to `option` by edit distance, when it is near enough.
  static func closest(to option: String) -> String? {
    let scored = allOptions.map { ($0, distance(option.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, option.count / 3) else {
      return nil
    }
    return best.0
  }

  private static func distance(_ a: String, _ b: String) -> Int {
    let left = Array(a)
    let right = Array(b)
    var row = Array(0...right.count)
    for i in 1...max(1, left.count) where !left.isEmpty {
      var previous = row[0]
      row[0] = i
      for j in 1...max(1, right.count) where !right.isEmpty {
        let saved = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (left[i - 1] == right[j - 1] ? 0 : 1))
        previous = saved
      }
    }
    return left.isEmpty ? right.count : row[right.count]
  }

  static let usage = """
    USAGE: layerscope <source> [<image>] [options]

    Shows what is inside a container image: its layers, what each layer changed, and the
    bytes it wastes. <source> is an image archive (docker save, podman save, skopeo, buildah),
    an OCI layout directory, or a Docker data root such as /var/lib/docker.
    <image> picks one image of a source that holds several: a tag or an ID prefix.

    With no output option, layerscope opens the interactive view.

    OPTIONS:
      --json [<file>]         Write the analysis as JSON to <file>, or to standard output.
      --ci                    Check the CI rules; exit 1 when one fails.
      --ci-config <file>      Read the rules from <file> (default: ./.dive-ci when present).
      --lowest-efficiency <ratio>
                              Fail below this efficiency (default 0.9, or 'disabled').
      --highest-wasted-bytes <size>
                              Fail above this many wasted bytes, e.g. 20MB (default disabled).
      --highest-user-wasted-percent <ratio>
                              Fail above this share of wasted bytes (default 0.1).
      --platform <os/arch[/variant]>
                              Pick the image of a multi-platform index.
      --list                  List the images the source holds.
      --tree                  Show the ancestry of every layer of a data root.
      --container <name|id>   Show a container's own changes (data roots).
      --ignore-errors         Take unreadable layers as empty, with a warning.
      --verify                Also read uncompressed layers in full and check their digests
                              (compressed layers are always checked).
      --keys <keys>           Replay keys in the interactive view, e.g. 'j j <Tab> q'.
      --keys-file <file>      Replay keys read from <file>.
      -h, --help              Show this help.
      --version               Show the version.

    EXIT STATUS: 0 success, 1 a CI rule failed, 2 unreadable input, 64 bad usage.
    """
}
