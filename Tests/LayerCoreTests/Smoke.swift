import Testing
@testable import LayerCore
@Test func smoke() { #expect(1 + 1 == 2) }
