/// The command that made a layer, as the layer list and details show it.
public enum CommandText {
  /// The command on one line, with the shell wrapper (`/bin/sh -c`) and the `#(nop)` marker of
  /// non-running steps removed and runs of white space folded into one space.
  public static func oneLine(_ command: String) -> String {
    fold(stripped(command))
  }

  /// The command without its shell wrapper, white space kept, for wrapping in the details.
  public static func stripped(_ command: String) -> String {
    var text = Substring(command)
    if let range = text.range(of: "/bin/sh -c ") {
      text.removeSubrange(range)
    }
    text = text.drop { $0 == " " }
    if text.hasPrefix("#(nop)") { text = text.dropFirst(6).drop { $0 == " " } }
    return String(text)
  }

  /// Folds white space (tabs and line breaks included) into single spaces.
  public static func fold(_ text: String) -> String {
    var out = ""
    var pendingSpace = false
    for character in text {
      if character.isWhitespace {
        pendingSpace = !out.isEmpty
      } else {
        if pendingSpace { out.append(" ") }
        pendingSpace = false
        out.append(character)
      }
    }
    return out
  }
}
