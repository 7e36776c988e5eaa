/// One item of a `docker save` or docker-archive `manifest.json`.
struct DockerArchiveManifest: Decodable, Sendable {
  struct LayerSource: Decodable, Sendable {
    var mediaType: String?
    var size: Int64?
    var digest: String?
  }

  var config: String
  var repoTags: [String]?
  var layers: [String]
  var layerSources: [String: LayerSource]?

  enum CodingKeys: String, CodingKey {
    case config = "Config"
    case repoTags = "RepoTags"
    case layers = "Layers"
    case layerSources = "LayerSources"
  }
}

/// An OCI descriptor: what a manifest or index says about a blob.
struct OCIDescriptor: Decodable, Sendable {
  struct Platform: Decodable, Sendable {
    var architecture: String?
    var os: String?
    var variant: String?
  }

  var mediaType: String?
  var digest: String
  var size: Int64?
  var annotations: [String: String]?
  var platform: Platform?
}

/// An OCI image index (`index.json`, or a multi-platform index blob), or a Docker manifest list.
struct OCIIndex: Decodable, Sendable {
  var mediaType: String?
  var manifests: [OCIDescriptor]
}

/// An OCI image manifest or a Docker schema 2 manifest.
struct OCIManifest: Decodable, Sendable {
  var mediaType: String?
  var config: OCIDescriptor
  var layers: [OCIDescriptor]
}

/// Media types layerscope tells apart.
enum MediaType {
  static let ociIndex = "application/vnd.oci.image.index.v1+json"
  static let dockerList = "application/vnd.docker.distribution.manifest.list.v2+json"
  static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
  static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"

  static func isIndex(_ type: String?) -> Bool { type == ociIndex || type == dockerList }

  static func isManifest(_ type: String?) -> Bool {
    type == ociManifest || type == dockerManifest
  }
}
