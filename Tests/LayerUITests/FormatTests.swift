import LayerCore
import Testing

@testable import LayerUI

@Suite struct FormatTests {
  @Test(arguments: [
    (Int64(0), "0 B"), (999, "999 B"), (1000, "1.0 kB"), (1_234, "1.2 kB"), (99_949, "99.9 kB"),
    (123_456, "123 kB"), (999_950, "1.0 MB"), (1_500_000, "1.5 MB"), (2_000_000_000, "2.0 GB"),
  ])
  func `byte counts`(bytes: Int64, text: String) {
    #expect(ByteCountText.format(bytes) == text)
  }

  @Test func `modes read like ls`() {
    #expect(ModeText.format(kind: .directory, mode: 0o755) == "drwxr-xr-x")
    #expect(ModeText.format(kind: .regular, mode: 0o4755) == "-rwsr-xr-x")
    #expect(ModeText.format(kind: .directory, mode: 0o1777) == "drwxrwxrwt")
    #expect(ModeText.format(kind: .regular, mode: 0o2644) == "-rw-r-Sr--")
  }

  @Test(arguments: [
    ("/bin/sh -c #(nop)  CMD [\"sh\"]", "CMD [\"sh\"]"),
    ("/bin/sh -c apt-get update &&\t\tapt-get   install", "apt-get update && apt-get install"),
    ("RUN /bin/sh -c make # buildkit", "RUN make # buildkit"),
    ("COPY . /app", "COPY . /app"),
  ])
  func `commands on one line`(command: String, shown: String) {
    #expect(CommandText.oneLine(command) == shown)
  }

  @Test func `timestamps show in UTC without a locale`() {
    #expect(DateText.format("2024-01-02T03:04:05.678Z") == "2024-01-02 03:04 UTC")
    #expect(DateText.format("2024-01-02T03:04:05+02:00") == "2024-01-02 03:04 +02:00")
    #expect(DateText.format("yesterday") == "yesterday")
  }

  @Test func `wrapping breaks at spaces and inside long words`() {
    #expect(TextWrap.wrap("aaa bbb ccc", to: 7) == ["aaa bbb", "ccc"])
    #expect(TextWrap.wrap("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
    #expect(
      TextWrap.wrap("echo 'ab  /f' | sha256sum -c", to: 40)
        == ["echo 'ab  /f' | sha256sum -c"])
    #expect(TextWrap.wrap("aaa   bbb", to: 4) == ["aaa ", "bbb"])
    #expect(TextWrap.truncate("abcdef", to: 4) == "abc…")
  }
}
