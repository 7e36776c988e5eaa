import Glibc

/// Access to `fgetxattr`, which Swift's Glibc module does not import (`<sys/xattr.h>` is not in
/// its module map); the symbol is looked up in the C library at run time.
enum ExtendedAttributes {
  /// `ssize_t fgetxattr(int fd, const char *name, void *value, size_t size)`.
  typealias Getter =
    @convention(c) (
      Int32, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int
    ) -> Int

  /// The C library's `fgetxattr`, or nil when it cannot be found.
  static let get: Getter? = {
    guard let library = dlopen(nil, RTLD_NOW),
      let symbol = dlsym(library, "fgetxattr")
    else { return nil }
    return unsafeBitCast(symbol, to: Getter.self)
  }()
}
