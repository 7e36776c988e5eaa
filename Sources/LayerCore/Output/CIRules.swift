import Foundation

/// dive's CI rules: thresholds on efficiency and waste, each of which may be disabled.
public struct CIRules: Sendable, Equatable {
  /// Fails when the efficiency score is below this ratio (dive's default 0.9).
  public var lowestEfficiency: Double? = 0.9
  /// Fails when wasted bytes exceed this (disabled by default, as in dive).
  public var highestWastedBytes: Int64?
  /// Fails when wasted bytes over the non-base layers' size exceed this ratio (default 0.1).
  public var highestUserWastedRatio: Double? = 0.1

  public init() {}

  /// The rule names, as `.dive-ci` and the flags spell them.
  public static let names = ["lowestEfficiency", "highestWastedBytes", "highestUserWastedPercent"]

  /// Why a rule setting was refused.
  public struct ConfigError: Error, CustomStringConvertible {
    public var source: String
    public var detail: String
    public var description: String { "\(source): \(detail)" }
  }

  /// Sets one rule from its text value (`disabled`, a ratio, or a size such as `20MB`).
  public mutating func set(_ name: String, _ rawValue: String, source: String) throws(ConfigError) {
    let value = rawValue.trimmingCharacters(in: .whitespaces)
      .trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
    let disabled = value.lowercased() == "disabled"
    switch name {
    case "lowestEfficiency":
      lowestEfficiency = disabled ? nil : try ratio(value, name: name, source: source)
    case "highestUserWastedPercent":
      highestUserWastedRatio = disabled ? nil : try ratio(value, name: name, source: source)
    case "highestWastedBytes":
      guard !disabled else {
        highestWastedBytes = nil
        return
      }
      guard let bytes = ByteCount.parse(value) else {
        throw ConfigError(source: source, detail: "'\(value)' is not a size for '\(name)'")
      }
      highestWastedBytes = bytes
    default:
      throw ConfigError(source: source, detail: "unknown rule '\(name)'")
    }
  }

  private func ratio(_ value: String, name: String, source: String) throws(ConfigError) -> Double {
    guard let number = Double(value), number >= 0 else {
      throw ConfigError(source: source, detail: "'\(value)' is not a ratio for '\(name)'")
    }
    return number
  }

  /// Reads a `.dive-ci` file: a `rules:` section of `name: value` lines.
  public mutating func load(file path: String) throws(ConfigError) {
    guard let data = FileManager.default.contents(atPath: path),
      let text = String(data: data, encoding: .utf8)
    else {
      throw ConfigError(source: path, detail: "cannot be read")
    }
    var inRules = false
    for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let line =
        rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        .first.map(String.init) ?? ""
      guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
      let indented = line.first == " " || line.first == "\t"
      let parts = line.split(separator: ":", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      if !indented {
        inRules = parts.first == "rules"
        continue
      }
      guard inRules else { continue }
      guard parts.count == 2 else {
        throw ConfigError(source: "\(path):\(number + 1)", detail: "expected 'name: value'")
      }
      try set(parts[0], parts[1], source: "\(path):\(number + 1)")
    }
  }

  /// The outcome of one rule.
  public struct Outcome: Sendable {
    public enum Status: String, Sendable {
      case pass = "PASS"
      case fail = "FAIL"
      case skip = "SKIP"
    }
    public var rule: String
    public var status: Status
    public var detail: String
  }

  /// Checks every rule against a report.
  public func evaluate(_ report: EfficiencyReport) -> [Outcome] {
    [
      check(
        "lowestEfficiency", limit: lowestEfficiency, value: report.score, fails: { $0 < $1 },
        text: { "efficiency \(format($0)) \($2 ? "<" : ">=") \(format($1))" }),
      check(
        "highestWastedBytes", limit: highestWastedBytes, value: report.wastedBytes,
        fails: { $0 > $1 }, text: { "wasted \($0) bytes \($2 ? ">" : "<=") \($1)" }),
      check(
        "highestUserWastedPercent", limit: highestUserWastedRatio,
        value: report.userWastedRatio, fails: { $0 > $1 },
        text: { "user wasted \(format($0)) \($2 ? ">" : "<=") \(format($1))" }),
    ]
  }

  /// One rule's outcome: skipped without a limit, else failed when `fails(value, limit)`.
  private func check<T>(
    _ rule: String, limit: T?, value: T, fails: (T, T) -> Bool,
    text: (T, T, Bool) -> String
  ) -> Outcome {
    guard let limit else { return Outcome(rule: rule, status: .skip, detail: "disabled") }
    let failed = fails(value, limit)
    return Outcome(rule: rule, status: failed ? .fail : .pass, detail: text(value, limit, failed))
  }

  private func format(_ value: Double) -> String { String(format: "%.4f", value) }
}

/// Byte counts as people write and read them.
public enum ByteCount {
  /// Parses `1234`, `20MB` (10^6), `20MiB` (2^20), `1.5 GB`, `500k`.
  public static func parse(_ text: String) -> Int64? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let digits = trimmed.prefix { $0.isNumber || $0 == "." }
    guard let number = Double(digits), number >= 0 else { return nil }
    let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
    let scale: Double
    switch unit {
    case "", "b": scale = 1
    case "k", "kb": scale = 1e3
    case "kib": scale = 1024
    case "m", "mb": scale = 1e6
    case "mib": scale = 1_048_576
    case "g", "gb": scale = 1e9
    case "gib": scale = 1_073_741_824
    case "t", "tb": scale = 1e12
    case "tib": scale = 1_099_511_627_776
    default: return nil
    }
    return Int64((number * scale).rounded())
  }

  /// `1.2 MB`-style text with decimal units, as dive prints sizes.
  public static func format(_ bytes: Int64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB"]
    var value = Double(bytes)
    var unit = 0
    while abs(value) >= 1000 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
  }
}
