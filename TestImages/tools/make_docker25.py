#!/usr/bin/env python3
"""Rewrites a legacy `docker save` archive into the Docker 25+ save layout.

No tool on the fixture machine writes that layout, so this script moves the
real blobs of a Docker 20.10 save into it:

- every `<v1id>/layer.tar` becomes `blobs/sha256/<diffID hex>` (uncompressed,
  so the blob digest equals the DiffID);
- the config file `<imageHex>.json` becomes `blobs/sha256/<imageHex>`,
  byte for byte;
- a new OCI manifest blob lists the layers as
  `application/vnd.oci.image.layer.v1.tar`;
- `index.json` holds one manifest descriptor per tag, with the annotations
  `io.containerd.image.name` and `org.opencontainers.image.ref.name`;
- `manifest.json` points into `blobs/`, `repositories` maps tags to the top
  layer's DiffID hex, `oci-layout` holds the layout version.

Members are written in lexical walk order, so `blobs/...` comes first, as
Docker's directory walk does. The legacy v1 JSON blobs that Docker 25 also
writes are left out.

Usage: make_docker25.py LEGACY.tar OUT.tar
"""

import hashlib
import io
import json
import sys
import tarfile

MTIME = 0


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def full_reference(tag):
    """Expands a familiar tag the way Docker's reference package does."""
    name, _, version = tag.rpartition(":")
    first = name.split("/")[0]
    if "." not in first and ":" not in first and first != "localhost":
        name = "docker.io/" + (name if "/" in name else "library/" + name)
    return name + ":" + version


def read_members(path):
    with tarfile.open(path) as archive:
        members = {}
        for member in archive.getmembers():
            if member.isfile():
                members[member.name] = archive.extractfile(member).read()
            elif member.issym():
                members[member.name] = member
        return members


def resolve(members, name):
    value = members[name]
    if isinstance(value, tarfile.TarInfo):
        directory = name.rsplit("/", 1)[0]
        target = value.linkname
        parts = (directory + "/" + target).split("/")
        clean = []
        for part in parts:
            if part == "..":
                clean.pop()
            elif part not in ("", "."):
                clean.append(part)
        return members["/".join(clean)]
    return value


def add_file(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = MTIME
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def add_dir(archive, name):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mtime = MTIME
    info.mode = 0o755
    archive.addfile(info)


def main(source, target):
    members = read_members(source)
    items = json.loads(members["manifest.json"])
    blobs = {}
    index_manifests = []
    save_items = []
    repositories = {}

    for item in items:
        config = members[item["Config"]]
        config_hex = sha256_hex(config)
        blobs[config_hex] = config
        layer_descriptors = []
        layer_names = []
        for layer_name in item["Layers"]:
            layer = resolve(members, layer_name)
            layer_hex = sha256_hex(layer)
            blobs[layer_hex] = layer
            layer_names.append("blobs/sha256/" + layer_hex)
            layer_descriptors.append({
                "mediaType": "application/vnd.oci.image.layer.v1.tar",
                "digest": "sha256:" + layer_hex,
                "size": len(layer),
            })

        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": "sha256:" + config_hex,
                "size": len(config),
            },
            "layers": layer_descriptors,
        }
        manifest_bytes = json.dumps(manifest, separators=(",", ":")).encode()
        manifest_hex = sha256_hex(manifest_bytes)
        blobs[manifest_hex] = manifest_bytes

        top = layer_names[-1].rsplit("/", 1)[1]
        for tag in item.get("RepoTags") or []:
            name, _, version = tag.rpartition(":")
            repositories.setdefault(name, {})[version] = top
            index_manifests.append({
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": "sha256:" + manifest_hex,
                "size": len(manifest_bytes),
                "annotations": {
                    "io.containerd.image.name": full_reference(tag),
                    "org.opencontainers.image.ref.name": version,
                },
            })
        save_items.append({
            "Config": "blobs/sha256/" + config_hex,
            "RepoTags": item.get("RepoTags"),
            "Layers": layer_names,
        })

    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": index_manifests,
    }
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        add_dir(archive, "blobs")
        add_dir(archive, "blobs/sha256")
        for blob_hex in sorted(blobs):
            add_file(archive, "blobs/sha256/" + blob_hex, blobs[blob_hex])
        add_file(archive, "index.json",
                 json.dumps(index, separators=(",", ":")).encode() + b"\n")
        add_file(archive, "manifest.json",
                 json.dumps(save_items, separators=(",", ":")).encode() + b"\n")
        add_file(archive, "oci-layout", b'{"imageLayoutVersion": "1.0.0"}')
        add_file(archive, "repositories",
                 json.dumps(repositories, separators=(",", ":")).encode() + b"\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
