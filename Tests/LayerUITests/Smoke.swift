import Testing
@testable import LayerUI
@Test func smoke() { #expect(1 + 1 == 2) }
