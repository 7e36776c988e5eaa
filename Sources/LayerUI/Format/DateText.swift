/// Timestamps from image configs, shown without the local time zone so every screen reads the
/// same wherever it is taken.
public enum DateText {
  /// `2023-11-14T22:13:20.123Z` as `2023-11-14 22:13 UTC` (minutes are enough to tell steps
  /// apart and the line fits a narrow pane); other forms shown as they are.
  public static func format(_ timestamp: String) -> String {
    let characters = Array(timestamp)
    guard characters.count >= 19, characters[10] == "T" else { return DisplayText.safe(timestamp) }
    let date = String(characters[0..<10])
    let time = String(characters[11..<16])
    var rest = characters[19...].drop { $0 == "." || $0.isNumber }
    if rest.first == "Z" || rest.isEmpty {
      return "\(date) \(time) UTC"
    }
    rest = rest.prefix(6)
    return "\(date) \(time) \(DisplayText.safe(String(rest)))"
  }
}
