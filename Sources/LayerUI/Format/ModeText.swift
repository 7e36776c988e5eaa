import LayerCore

/// Permission text as `ls -l` prints it, e.g. `drwxr-xr-x` or `-rwsr-xr-x`.
public enum ModeText {
  /// The ten-column mode text of an entry kind and its permission bits.
  public static func format(kind: EntryKind, mode: UInt32) -> String {
    var text = String(kind.typeLetter)
    let special: [(set: UInt32, letter: Character)] = [(0o4000, "s"), (0o2000, "s"), (0o1000, "t")]
    for group in 0..<3 {
      let shift = UInt32(6 - group * 3)
      let bits = (mode >> shift) & 7
      text.append(bits & 4 != 0 ? "r" : "-")
      text.append(bits & 2 != 0 ? "w" : "-")
      let execute = bits & 1 != 0
      if mode & special[group].set != 0 {
        let letter = special[group].letter
        text.append(execute ? letter : Character(letter.uppercased()))
      } else {
        text.append(execute ? "x" : "-")
      }
    }
    return text
  }
}
