internal import CCrypto

/// Helpers for `sha256:<hex>` digests.
public enum Digest {
  /// `sha256:` and the first 12 hex digits, for messages and narrow columns.
  public static func short(_ digest: String) -> String {
    guard let colon = digest.firstIndex(of: ":") else { return String(digest.prefix(12)) }
    let hex = digest[digest.index(after: colon)...]
    return String(digest[..<colon]) + ":" + hex.prefix(12)
  }

  /// The hex part of a digest (what follows the algorithm and colon).
  public static func hex(_ digest: String) -> String {
    guard let colon = digest.firstIndex(of: ":") else { return digest }
    return String(digest[digest.index(after: colon)...])
  }

  /// Whether `digest` is `sha256:` followed by 64 lowercase hex digits.
  public static func isValidSHA256(_ digest: String) -> Bool {
    guard digest.hasPrefix("sha256:") else { return false }
    let hex = digest.utf8.dropFirst(7)
    return hex.count == 64 && hex.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }

  /// `sha256:<hex>` of `bytes`, computed by OpenSSL.
  public static func sha256(_ bytes: [UInt8]) -> String {
    "sha256:" + hexString(sha256Bytes(bytes))
  }

  /// The raw 32-byte SHA-256 of `bytes`.
  static func sha256Bytes(_ bytes: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    bytes.withUnsafeBytes { buffer in
      out.withUnsafeMutableBufferPointer { result in
        _ = SHA256(
          buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count,
          result.baseAddress)
      }
    }
    return out
  }

  static func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// An incremental SHA-256 (OpenSSL's EVP interface), for hashing file content as it streams.
final class SHA256Hasher {
  private let context: OpaquePointer?

  init() {
    context = EVP_MD_CTX_new()
    EVP_DigestInit_ex(context, EVP_sha256(), nil)
  }

  deinit { EVP_MD_CTX_free(context) }

  func update(_ buffer: UnsafeRawBufferPointer) {
    EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
  }

  func finish() -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    EVP_DigestFinal_ex(context, &out, &length)
    return out
  }
}
