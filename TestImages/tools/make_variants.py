#!/usr/bin/env python3
"""Derives the multi-member gzip fixture and the bad inputs from real ones.

Usage: make_variants.py OUT_DIR

Reads OUT_DIR/docker-legacy.tar and OUT_DIR/oci-gzip.tar (made by docker save
and skopeo) and writes:

- oci-multimember-gzip.tar: oci-gzip.tar whose first layer blob is replaced by
  two gzip members (`gzip -n -9` run twice on the two halves of the same
  uncompressed layer tar, then concatenated, like `cat a.gz b.gz`). The DiffID
  stays the same; the blob digest, the manifest and index.json are updated.
- bad/truncated.tar: docker-legacy.tar cut in the middle of the data of its
  largest layer.tar member.
- bad/corrupt-gzip.tar: oci-gzip.tar with 8 bytes XOR-ed with 0x55 in the
  middle of the deflate data of its largest layer blob (name unchanged, so the
  digest no longer matches either).
- bad/corrupt-zstd.tar: oci-zstd.tar with 8 bytes XOR-ed with 0x55 in the
  middle of its largest zstd layer blob (name unchanged); `zstd -d` must
  refuse it.
- bad/corrupt-plain.tar: docker-legacy.tar with 8 bytes XOR-ed with 0x55 in
  the data of the largest regular file of its largest layer.tar: every header
  still parses, only the layer's sha256 (its DiffID) no longer matches.
- bad/bad-json.tar: docker-legacy.tar with manifest.json cut to half its bytes.
- bad/bad-index-json.tar: oci-gzip.tar with index.json cut to half its bytes.
- bad/missing-layer.tar: docker-legacy.tar without the third layer's
  `<v1id>/layer.tar` (manifest.json still names it).
- bad/missing-blob.tar: oci-gzip.tar without its second layer blob.
- bad/escape.tar: a docker-archive (skopeo-style `<diffID>.tar` names) with the
  real base layer of docker-legacy.tar and a second layer, written here with
  Python's tarfile, holding `etc/`, `etc/escape-note.txt` and `../../etc/evil`.
"""

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import zlib

MTIME = 1700000000


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def read_archive(path):
    """Returns [(TarInfo, bytes or None)] in archive order."""
    with tarfile.open(path) as archive:
        out = []
        for member in archive.getmembers():
            data = archive.extractfile(member).read() if member.isfile() else None
            out.append((member, data))
        return out


def write_archive(path, members):
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as archive:
        for info, data in members:
            if data is not None:
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
            else:
                archive.addfile(info)


def new_info(name, mode=0o644):
    info = tarfile.TarInfo(name)
    info.mtime = MTIME
    info.mode = mode
    return info


def replace(members, name, data):
    return [(i, data if i.name == name else d) for i, d in members]


def without(members, name):
    return [(i, d) for i, d in members if i.name != name]


def oci_manifest(members):
    by_name = {i.name: d for i, d in members}
    index = json.loads(by_name["index.json"])
    digest = index["manifests"][0]["digest"]
    manifest = json.loads(by_name["blobs/sha256/" + digest.split(":")[1]])
    return by_name, index, manifest


def gzip_cli(data):
    return subprocess.run(["gzip", "-n", "-9", "-c"], input=data,
                          stdout=subprocess.PIPE, check=True).stdout


def make_multimember(out):
    members = read_archive(os.path.join(out, "oci-gzip.tar"))
    by_name, index, manifest = oci_manifest(members)
    layer = manifest["layers"][0]
    old_name = "blobs/sha256/" + layer["digest"].split(":")[1]
    plain = gzip.decompress(by_name[old_name])
    cut = (len(plain) // 2) // 512 * 512
    blob = gzip_cli(plain[:cut]) + gzip_cli(plain[cut:])
    assert gzip.decompress(blob) == plain
    assert len(zlib.decompressobj(31).decompress(blob)) == cut

    layer["digest"] = "sha256:" + sha256_hex(blob)
    layer["size"] = len(blob)
    old_manifest = index["manifests"][0]["digest"]
    manifest_bytes = json.dumps(manifest, separators=(",", ":")).encode()
    index["manifests"][0]["digest"] = "sha256:" + sha256_hex(manifest_bytes)
    index["manifests"][0]["size"] = len(manifest_bytes)

    blobs = {}
    for info, data in members:
        if info.name.startswith("blobs/sha256/") and data is not None:
            blobs[info.name] = (info, data)
    del blobs[old_name]
    del blobs["blobs/sha256/" + old_manifest.split(":")[1]]
    for data in (blob, manifest_bytes):
        name = "blobs/sha256/" + sha256_hex(data)
        blobs[name] = (new_info(name), data)

    result = [(i, d) for i, d in members if i.isdir()]
    result += [blobs[name] for name in sorted(blobs)]
    result += [(new_info("index.json"),
                json.dumps(index, separators=(",", ":")).encode())]
    result += [(i, d) for i, d in members if i.name == "oci-layout"]
    write_archive(os.path.join(out, "oci-multimember-gzip.tar"), result)


def make_truncated(out, bad):
    source = os.path.join(out, "docker-legacy.tar")
    with tarfile.open(source) as archive:
        layers = [m for m in archive.getmembers() if m.name.endswith("layer.tar")]
        largest = max(layers, key=lambda m: m.size)
        cut = largest.offset_data + largest.size // 2
    with open(source, "rb") as f:
        data = f.read()
    with open(os.path.join(bad, "truncated.tar"), "wb") as f:
        f.write(data[:cut])
    return largest.name, cut


def flip_largest_blob(source):
    """Reads an OCI archive and XORs 8 bytes with 0x55 in the middle of its
    largest layer blob. Returns (members, blob name, damaged blob, offset)."""
    members = read_archive(source)
    _, _, manifest = oci_manifest(members)
    largest = max(manifest["layers"], key=lambda l: l["size"])
    name = "blobs/sha256/" + largest["digest"].split(":")[1]
    blob = bytearray(dict((i.name, d) for i, d in members)[name])
    middle = len(blob) // 2
    for offset in range(middle, middle + 8):
        blob[offset] ^= 0x55
    return members, name, bytes(blob), middle


def make_corrupt_gzip(out, bad):
    members, name, blob, middle = flip_largest_blob(os.path.join(out, "oci-gzip.tar"))
    try:
        gzip.decompress(blob)
    except (OSError, EOFError, zlib.error):
        pass
    else:
        raise SystemExit("flipped bytes did not break the gzip stream")
    write_archive(os.path.join(bad, "corrupt-gzip.tar"), replace(members, name, blob))
    return name, middle


def make_corrupt_zstd(out, bad):
    members, name, blob, middle = flip_largest_blob(os.path.join(out, "oci-zstd.tar"))
    if blob[:4] != b"\x28\xb5\x2f\xfd":
        raise SystemExit("largest layer of oci-zstd.tar is not zstd")
    check = subprocess.run(["zstd", "-d", "-c"], input=blob, capture_output=True)
    if check.returncode == 0:
        raise SystemExit("flipped bytes did not break the zstd stream")
    write_archive(os.path.join(bad, "corrupt-zstd.tar"), replace(members, name, blob))
    return name, middle


def make_corrupt_plain(out, bad):
    members = read_archive(os.path.join(out, "docker-legacy.tar"))
    layers = [(i, d) for i, d in members if i.name.endswith("layer.tar")]
    info, layer = max(layers, key=lambda m: len(m[1]))
    with tarfile.open(fileobj=io.BytesIO(layer)) as inner:
        target = max((m for m in inner.getmembers() if m.isfile()), key=lambda m: m.size)
    blob = bytearray(layer)
    start = target.offset_data + target.size // 2
    for offset in range(start, start + 8):
        blob[offset] ^= 0x55
    if sha256_hex(bytes(blob)) == sha256_hex(layer):
        raise SystemExit("flipped bytes did not change the layer")
    write_archive(os.path.join(bad, "corrupt-plain.tar"),
                  replace(members, info.name, bytes(blob)))
    return info.name, target.name, start


def make_bad_json(out, bad):
    legacy = read_archive(os.path.join(out, "docker-legacy.tar"))
    manifest = dict((i.name, d) for i, d in legacy)["manifest.json"]
    write_archive(os.path.join(bad, "bad-json.tar"),
                  replace(legacy, "manifest.json", manifest[:len(manifest) // 2]))
    oci = read_archive(os.path.join(out, "oci-gzip.tar"))
    index = dict((i.name, d) for i, d in oci)["index.json"]
    write_archive(os.path.join(bad, "bad-index-json.tar"),
                  replace(oci, "index.json", index[:len(index) // 2]))


def make_missing(out, bad):
    legacy = read_archive(os.path.join(out, "docker-legacy.tar"))
    items = json.loads(dict((i.name, d) for i, d in legacy)["manifest.json"])
    gone = items[0]["Layers"][2]
    write_archive(os.path.join(bad, "missing-layer.tar"), without(legacy, gone))
    oci = read_archive(os.path.join(out, "oci-gzip.tar"))
    _, _, manifest = oci_manifest(oci)
    blob = "blobs/sha256/" + manifest["layers"][1]["digest"].split(":")[1]
    write_archive(os.path.join(bad, "missing-blob.tar"), without(oci, blob))
    return gone, blob


def escape_layer():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as t:
        directory = new_info("etc/", 0o755)
        directory.type = tarfile.DIRTYPE
        t.addfile(directory)
        for name, text in (("etc/escape-note.txt", b"next entry escapes\n"),
                           ("../../etc/evil", b"evil\n")):
            info = new_info(name)
            info.size = len(text)
            t.addfile(info, io.BytesIO(text))
    return buffer.getvalue()


def make_escape(out, bad):
    legacy = read_archive(os.path.join(out, "docker-legacy.tar"))
    by_name = dict((i.name, d) for i, d in legacy)
    item = json.loads(by_name["manifest.json"])[0]
    base = by_name[item["Layers"][0]]
    top = escape_layer()
    layers = [base, top]
    diff_ids = ["sha256:" + sha256_hex(layer) for layer in layers]
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "2023-11-14T22:13:20Z",
        "config": {"Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [
            {"created": "2023-11-14T22:13:20Z", "created_by": "ADD base.tar /"},
            {"created": "2023-11-14T22:13:20Z",
             "created_by": "python3 tarfile: layer with ../../etc/evil"},
        ],
    }
    config_bytes = json.dumps(config, separators=(",", ":")).encode()
    config_name = sha256_hex(config_bytes) + ".json"
    layer_names = [d.split(":")[1] + ".tar" for d in diff_ids]
    manifest = [{"Config": config_name, "RepoTags": ["layerscope/escape:1"],
                 "Layers": layer_names}]
    members = [(new_info(n), d) for n, d in zip(layer_names, layers)]
    members.append((new_info(config_name), config_bytes))
    members.append((new_info("manifest.json"),
                    json.dumps(manifest, separators=(",", ":")).encode()))
    write_archive(os.path.join(bad, "escape.tar"), members)


def log(message):
    print(message, file=sys.stderr)


def main(out):
    bad = os.path.join(out, "bad")
    os.makedirs(bad, exist_ok=True)
    make_multimember(out)
    log("truncated: member %s cut at byte %d" % make_truncated(out, bad))
    log("corrupt-gzip: %s flipped at %d" % make_corrupt_gzip(out, bad))
    log("corrupt-zstd: %s flipped at %d" % make_corrupt_zstd(out, bad))
    log("corrupt-plain: %s, file %s flipped at %d" % make_corrupt_plain(out, bad))
    make_bad_json(out, bad)
    log("missing: %s / %s" % make_missing(out, bad))
    make_escape(out, bad)


if __name__ == "__main__":
    main(sys.argv[1])
