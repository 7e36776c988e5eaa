/// A search for a ``PathPattern`` anywhere in a path, as a deterministic automaton built
/// lazily: each state stands for what a path read so far leaves open, and a child's path is
/// its parent's state stepped through `/` and the child's name.
///
/// So a whole tree is matched in one step per name byte, not one regex run per path. The
/// automaton is a Thompson construction whose state sets become deterministic states the
/// first time they are reached (at most ``stateLimit`` of them).
struct PathAutomaton {
  /// A deterministic state.
  typealias StateID = Int32

  /// One state of the non-deterministic automaton.
  private enum Node {
    case byte(ByteSet, next: Int32)
    case split(Int32, Int32)
    /// `^`, passed only before the first byte.
    case atStart(next: Int32)
    /// `$`, passed only after the last byte.
    case atEnd(next: Int32)
    case match
  }

  /// The state of every path that already holds a match; every byte leads back to it.
  static let accepted: StateID = 0
  /// How many deterministic states may be made before ``step(_:_:)`` gives up.
  static let stateLimit = 4096

  private var nodes: [Node] = []
  private var entry: Int32 = 0
  private var sets: [[Int32]] = [[]]
  private var ids: [[Int32]: StateID] = [:]
  /// The next state for each state and byte, -1 until computed.
  private var table: [StateID] = Array(repeating: accepted, count: 256)
  /// Whether the path ending in each state matches: -1 unknown, 0 no, 1 yes.
  private var endMatches: [Int8] = [1]
  private var marks: [UInt32]
  private var generation: UInt32 = 0
  /// The state before the first byte of a path.
  private(set) var initial: StateID = accepted

  init(_ pattern: PathPattern) {
    marks = []
    let matchNode = append(.match)
    entry = compile(pattern, then: matchNode)
    marks = Array(repeating: 0, count: nodes.count)
    initial = intern(closure(of: [entry], atStart: true, atEnd: false)) ?? Self.accepted
  }

  // MARK: - Running

  /// The state after one more byte, or nil when the automaton grew past ``stateLimit``.
  mutating func step(_ state: StateID, _ byte: UInt8) -> StateID? {
    let slot = Int(state) << 8 | Int(byte)
    let known = table[slot]
    if known >= 0 { return known }
    var seeds: [Int32] = [entry]
    for member in sets[Int(state)] {
      if case .byte(let set, let next) = nodes[Int(member)], set.contains(byte) {
        seeds.append(next)
      }
    }
    guard let next = intern(closure(of: seeds, atStart: false, atEnd: false)) else { return nil }
    table[slot] = next
    return next
  }

  /// Whether a path that ends in this state matches, `$` included.
  mutating func matchesAtEnd(_ state: StateID) -> Bool {
    let known = endMatches[Int(state)]
    if known >= 0 { return known == 1 }
    let result = closure(of: sets[Int(state)], atStart: false, atEnd: true) == nil
    endMatches[Int(state)] = result ? 1 : 0
    return result
  }

  // MARK: - Sets of states

  /// The states reachable without reading a byte, keeping those that wait for one (and `$`
  /// unless at the end); nil when the match state is among them.
  private mutating func closure(of seeds: [Int32], atStart: Bool, atEnd: Bool) -> [Int32]? {
    generation &+= 1
    var stack = seeds
    var kept: [Int32] = []
    while let node = stack.popLast() {
      guard marks[Int(node)] != generation else { continue }
      marks[Int(node)] = generation
      switch nodes[Int(node)] {
      case .match: return nil
      case .byte: kept.append(node)
      case .split(let first, let second):
        stack.append(second)
        stack.append(first)
      case .atStart(let next):
        if atStart { stack.append(next) }
      case .atEnd(let next):
        if atEnd { stack.append(next) } else { kept.append(node) }
      }
    }
    return kept.sorted()
  }

  /// The deterministic state of a set (nil for the match), made when new; nil also when
  /// there would be too many.
  private mutating func intern(_ set: [Int32]?) -> StateID? {
    guard let set else { return Self.accepted }
    if let id = ids[set] { return id }
    guard sets.count < Self.stateLimit else { return nil }
    let id = StateID(sets.count)
    sets.append(set)
    ids[set] = id
    table.append(contentsOf: repeatElement(-1, count: 256))
    endMatches.append(-1)
    return id
  }

  // MARK: - Building

  private mutating func append(_ node: Node) -> Int32 {
    nodes.append(node)
    return Int32(nodes.count - 1)
  }

  /// The entry of `pattern`'s states, which go on to `then`.
  private mutating func compile(_ pattern: PathPattern, then: Int32) -> Int32 {
    switch pattern {
    case .empty:
      return then
    case .byte(let set):
      return append(.byte(set, next: then))
    case .character(let excluded):
      return compileCharacter(excluding: excluded, then: then)
    case .sequence(let items):
      var next = then
      for item in items.reversed() { next = compile(item, then: next) }
      return next
    case .choice(let branches):
      var entries = branches.map { compile($0, then: then) }
      var joined = entries.removeLast()
      while let other = entries.popLast() { joined = append(.split(other, joined)) }
      return joined
    case .repetition(let body, let minimum, let maximum):
      var next = then
      if let maximum {
        for _ in minimum..<max(minimum, maximum) {
          next = append(.split(compile(body, then: next), then))
        }
      } else {
        let loop = append(.split(-1, then))
        nodes[Int(loop)] = .split(compile(body, then: loop), then)
        next = loop
      }
      for _ in 0..<minimum { next = compile(body, then: next) }
      return next
    case .start:
      return append(.atStart(next: then))
    case .end:
      return append(.atEnd(next: then))
    }
  }

  /// One well-formed UTF-8 character (Unicode's table of well-formed byte sequences), or an
  /// ASCII byte not in `excluded`.
  private mutating func compileCharacter(excluding excluded: ByteSet, then: Int32) -> Int32 {
    var ascii = ByteSet()
    for byte in UInt8(0)...0x7F where !excluded.contains(byte) { ascii.insert(byte) }
    let tail = ByteSet(0x80...0xBF)
    let one = append(.byte(tail, next: then))
    let two = append(.byte(tail, next: one))
    let three = append(.byte(tail, next: two))
    let leads: [(ClosedRange<UInt8>, ClosedRange<UInt8>?, Int32)] = [
      (0xC2...0xDF, nil, one),
      (0xE0...0xE0, 0xA0...0xBF, one), (0xE1...0xEC, nil, two), (0xED...0xED, 0x80...0x9F, one),
      (0xEE...0xEF, nil, two),
      (0xF0...0xF0, 0x90...0xBF, two), (0xF1...0xF3, nil, three), (0xF4...0xF4, 0x80...0x8F, two),
    ]
    var joined = append(.byte(ascii, next: then))
    for (lead, second, rest) in leads {
      let after = second.map { append(.byte(ByteSet($0), next: rest)) } ?? rest
      joined = append(.split(append(.byte(ByteSet(lead), next: after)), joined))
    }
    return joined
  }
}
