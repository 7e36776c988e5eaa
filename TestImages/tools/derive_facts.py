#!/usr/bin/env python3
"""Derives the expected facts of one fixture, independently of layerscope.

Usage: derive_facts.py [--dive PATH] FIXTURE > expected/NAME.json

FIXTURE is an image archive (tar) or an OCI layout directory. The script
finds the images through manifest.json (docker save, docker-archive) or
index.json (OCI, nested indexes followed), decompresses each layer blob
(gzip with Python's gzip module, zstd with the zstd command), hashes it, lists
its tar entries with Python's tarfile, and replays the layers bottom first on
a merged view with the whiteout rules of the OCI image spec:

- `dir/.wh.name` removes `dir/name` and its subtree from the lower layers;
- `dir/.wh..wh..opq` removes every lower child of `dir`;
- both are applied before the layer's own entries, and never hide entries of
  the same layer;
- a directory over a directory replaces its metadata, anything else replaces
  the lower path and its subtree.

A layer's `added` paths are absent from the view of the layers below it,
`removed` paths disappear from it (every path of a hidden subtree is listed),
and `modified` paths are present before and after with a different type,
mode, uid, gid, size, link target or content sha256. Directory mtimes are not
compared, so directories re-listed with the same metadata are not changes.

Paths are absolute, without a trailing slash. A name that is not valid UTF-8
is shown with `\\xNN` escapes for its bad bytes, and listed again in
`nonUTF8Paths` with its raw bytes in hex.

With --dive, archives that have a manifest.json are also run through
`dive --source docker-archive` (`-j`, and `--ci` with its default rules), and dive's figures are
stored under "dive" as dive printed them.
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import posixpath
import re
import subprocess
import sys
import tarfile
import tempfile
import zlib

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"


# MARK: - reading the fixture

class Fixture:
    """Files of an archive or a layout directory, by member name."""

    def __init__(self, path):
        self.path = path
        self.files = {}
        self.links = {}
        self.order = []
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                for name in names:
                    full = os.path.join(root, name)
                    rel = os.path.relpath(full, path)
                    with open(full, "rb") as f:
                        self.files[rel] = f.read()
            self.order = sorted(self.files)
        else:
            with tarfile.open(path, encoding="utf-8",
                              errors="surrogateescape") as archive:
                for member in archive.getmembers():
                    name = member.name
                    while name.startswith("./"):
                        name = name[2:]
                    self.order.append(name)
                    if member.isfile():
                        self.files[name] = archive.extractfile(member).read()
                    elif member.issym():
                        self.links[name] = member.linkname

    def read(self, name):
        """Returns a member's bytes, following archive symlinks."""
        for _ in range(8):
            if name in self.files:
                return self.files[name]
            if name not in self.links:
                raise KeyError(name)
            target = self.links[name]
            name = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
        raise KeyError(name)

    def blob(self, digest):
        algorithm, encoded = digest.split(":", 1)
        return self.read("blobs/%s/%s" % (algorithm, encoded))


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def gzip_members(blob):
    count = 0
    rest = blob
    while rest:
        decompressor = zlib.decompressobj(31)
        decompressor.decompress(rest)
        count += 1
        rest = decompressor.unused_data
    return count


def decompress(blob):
    """Returns (compression, tar bytes, details) using the blob's magic."""
    if blob[:3] == b"\x1f\x8b\x08":
        return "gzip", gzip.decompress(blob), {"gzipMembers": gzip_members(blob)}
    if blob[:4] == b"\x28\xb5\x2f\xfd":
        result = subprocess.run(["zstd", "-dcq"], input=blob,
                                stdout=subprocess.PIPE, check=True)
        return "zstd", result.stdout, {}
    return "none", blob, {}


# MARK: - paths

def display(path):
    raw = path.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def is_utf8(path):
    try:
        path.encode("utf-8", "surrogateescape").decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def clean(name):
    """Returns the absolute path of a tar name, or None for unsafe names."""
    stripped = name.lstrip("/")
    normal = posixpath.normpath(stripped) if stripped else "."
    if normal == "..":
        return None
    if normal.startswith("../"):
        return None
    if normal == ".":
        return "/"
    return "/" + normal


def under(path, root):
    return path.startswith(root.rstrip("/") + "/")


# MARK: - layers

def entry_type(member):
    if member.isdir():
        return "dir"
    if member.issym():
        return "symlink"
    if member.islnk():
        return "hardlink"
    if member.ischr():
        return "char"
    if member.isblk():
        return "block"
    if member.isfifo():
        return "fifo"
    return "file"


def read_layer(tar_bytes):
    """Returns the entries of a layer tar in archive order."""
    entries = []
    with tarfile.open(fileobj=io.BytesIO(tar_bytes), encoding="utf-8",
                      errors="surrogateescape") as archive:
        for member in archive.getmembers():
            kind = entry_type(member)
            data_hash = None
            if kind == "file":
                data_hash = sha256(archive.extractfile(member).read())
            entries.append({
                "name": member.name,
                "type": kind,
                "mode": member.mode & 0o7777,
                "uid": member.uid,
                "gid": member.gid,
                "size": member.size,
                "link": member.linkname if kind in ("symlink", "hardlink") else "",
                "sha256": data_hash,
                "pax": sorted(k for k in member.pax_headers),
            })
    return entries


def node_of(entry, view):
    node = {k: entry[k] for k in ("type", "mode", "uid", "gid", "size", "sha256")}
    node["link"] = entry["link"]
    if entry["type"] == "hardlink":
        target = clean(entry["link"])
        node["link"] = target or entry["link"]
        lower = view.get(target)
        node["sha256"] = lower["sha256"] if lower else None
        node["size"] = lower["size"] if lower else 0
    return node


def remove_tree(view, path):
    gone = [p for p in view if p == path or under(p, path)]
    for p in gone:
        del view[p]
    return gone


def hidden_summary(before, paths):
    files = [p for p in paths if before[p]["type"] == "file"]
    return {
        "hiddenPaths": len(paths),
        "hiddenFiles": len(files),
        "hiddenBytes": sum(before[p]["size"] for p in files),
    }


def apply_layer(before, entries):
    """Returns (after, whiteouts, opaque dirs, unsafe names, implied dirs)."""
    after = dict(before)
    whiteouts = []
    opaques = []
    unsafe = []
    implied = []

    for entry in entries:
        path = clean(entry["name"])
        if path is None:
            continue
        base = posixpath.basename(path)
        parent = posixpath.dirname(path)
        if base == OPAQUE:
            hidden = [p for p in before if under(p, parent)]
            for p in hidden:
                after.pop(p, None)
            opaques.append(dict(marker=path, dir=parent,
                                **hidden_summary(before, hidden)))
        elif base.startswith(WHITEOUT):
            target = posixpath.join(parent, base[len(WHITEOUT):])
            hidden = [p for p in before if p == target or under(p, target)]
            for p in hidden:
                after.pop(p, None)
            whiteouts.append(dict(marker=path, removes=target,
                                  **hidden_summary(before, hidden)))

    for entry in entries:
        path = clean(entry["name"])
        if path is None:
            unsafe.append(display(entry["name"]))
            continue
        base = posixpath.basename(path)
        if path == "/" or base.startswith(WHITEOUT):
            continue
        node = node_of(entry, after)
        old = after.get(path)
        if old is not None and not (old["type"] == "dir" and node["type"] == "dir"):
            remove_tree(after, path)
        parent = posixpath.dirname(path)
        while parent != "/" and parent not in after:
            after[parent] = {"type": "dir", "mode": 0o755, "uid": 0, "gid": 0,
                             "size": 0, "sha256": None, "link": ""}
            implied.append(display(parent))
            parent = posixpath.dirname(parent)
        after[path] = node
    return after, whiteouts, opaques, unsafe, implied


def differs(old, new):
    keys = ["type", "mode", "uid", "gid"]
    if new["type"] != "dir":
        keys += ["size", "link", "sha256"]
    return [k for k in keys if old.get(k) != new.get(k)]


def sort_key(path):
    return path.encode("utf-8", "surrogateescape")


def change_lists(before, after):
    added = sorted((p for p in after if p not in before), key=sort_key)
    removed = sorted((p for p in before if p not in after), key=sort_key)
    modified = []
    for p in sorted((p for p in after if p in before), key=sort_key):
        fields = differs(before[p], after[p])
        if fields:
            modified.append({"path": display(p), "changed": fields})
    return ([display(p) for p in added], modified, [display(p) for p in removed])


def describe_entry(entry):
    out = {
        "path": display(clean(entry["name"]) or entry["name"]),
        "type": entry["type"],
        "mode": "%04o" % entry["mode"],
        "uid": entry["uid"],
        "gid": entry["gid"],
        "size": entry["size"],
    }
    if entry["link"]:
        out["link"] = display(entry["link"])
    if entry["pax"]:
        out["paxKeys"] = entry["pax"]
    return out


# MARK: - images

def history_commands(config):
    commands = []
    empty = 0
    for item in config.get("history") or []:
        if item.get("empty_layer"):
            empty += 1
        else:
            commands.append(item.get("created_by", ""))
    return commands, empty


def describe_image(fixture, config_bytes, layer_refs, extra):
    config = json.loads(config_bytes)
    diff_ids = config.get("rootfs", {}).get("diff_ids", [])
    commands, empty = history_commands(config)
    image = dict(extra)
    image.update({
        "configDigest": sha256(config_bytes),
        "architecture": config.get("architecture"),
        "os": config.get("os"),
        "historyEntries": len(config.get("history") or []),
        "emptyLayerHistoryEntries": empty,
        "layerCount": len(layer_refs),
        "layers": [],
    })

    view = {}
    for index, (ref, blob, media_type) in enumerate(layer_refs):
        layer = {"index": index, "blob": ref, "blobDigest": sha256(blob),
                 "blobSize": len(blob)}
        if media_type:
            layer["mediaType"] = media_type
        compression, tar_bytes, details = decompress(blob)
        layer["compression"] = compression
        layer.update(details)
        layer["diffID"] = sha256(tar_bytes)
        layer["diffIDMatchesConfig"] = (index < len(diff_ids)
                                        and diff_ids[index] == layer["diffID"])
        layer["tarSize"] = len(tar_bytes)
        if index < len(commands):
            layer["createdBy"] = commands[index]

        entries = read_layer(tar_bytes)
        layer["entryCount"] = len(entries)
        layer["contentSize"] = sum(e["size"] for e in entries)
        after, whiteouts, opaques, unsafe, implied = apply_layer(view, entries)
        added, modified, removed = change_lists(view, after)
        layer["added"] = added
        layer["modified"] = modified
        layer["removed"] = removed
        layer["whiteouts"] = whiteouts and [
            {k: display(v) if isinstance(v, str) else v for k, v in w.items()}
            for w in whiteouts]
        layer["opaqueDirs"] = opaques
        if unsafe:
            layer["unsafeEntries"] = unsafe
        if implied:
            layer["impliedDirs"] = implied
        raw = [e["name"] for e in entries if not is_utf8(e["name"])]
        if raw:
            layer["nonUTF8Paths"] = [
                {"display": display(n),
                 "hex": n.encode("utf-8", "surrogateescape").hex()} for n in raw]
        layer["entries"] = [describe_entry(e) for e in entries]
        image["layers"].append(layer)
        view = after

    files = [n for n in view.values() if n["type"] == "file"]
    image["finalTree"] = {
        "paths": len(view),
        "regularFiles": len(files),
        "regularFileBytes": sum(n["size"] for n in files),
    }
    return image


def docker_images(fixture):
    items = json.loads(fixture.read("manifest.json"))
    images = []
    for number, item in enumerate(items):
        refs = [(name, fixture.read(name), None) for name in item["Layers"]]
        extra = {"source": "manifest.json[%d]" % number,
                 "config": item["Config"],
                 "repoTags": item.get("RepoTags")}
        images.append(describe_image(fixture, fixture.read(item["Config"]),
                                     refs, extra))
    return images


def oci_images(fixture, index, where, images):
    for number, descriptor in enumerate(index.get("manifests", [])):
        here = "%s.manifests[%d]" % (where, number)
        body = json.loads(fixture.blob(descriptor["digest"]))
        if "manifests" in body:
            oci_images(fixture, body, here, images)
            continue
        refs = [(layer["digest"], fixture.blob(layer["digest"]),
                 layer.get("mediaType")) for layer in body["layers"]]
        extra = {"source": here,
                 "manifestDigest": descriptor["digest"],
                 "manifestMediaType": body.get("mediaType"),
                 "annotations": descriptor.get("annotations"),
                 "platform": descriptor.get("platform")}
        config = fixture.blob(body["config"]["digest"])
        images.append(describe_image(fixture, config, refs, extra))
    return images


def index_summary(fixture):
    index = json.loads(fixture.read("index.json"))
    summary = []
    for descriptor in index.get("manifests", []):
        body = json.loads(fixture.blob(descriptor["digest"]))
        summary.append({"mediaType": descriptor.get("mediaType"),
                        "digest": descriptor["digest"],
                        "bodyMediaType": body.get("mediaType"),
                        "annotations": descriptor.get("annotations"),
                        "platforms": [m.get("platform") for m in
                                      body.get("manifests", [])] or None})
    return summary


def layout_of(fixture):
    names = set(fixture.files) | set(fixture.links)
    if "manifest.json" not in names:
        return "oci-layout"
    try:
        layers = [layer for item in json.loads(fixture.read("manifest.json"))
                  for layer in item["Layers"]]
    except (ValueError, KeyError, TypeError):
        return "docker-save (manifest.json unreadable)"
    if layers and all(layer.startswith("blobs/") for layer in layers):
        return "docker-save-oci (Docker 25+)"
    if layers and all(layer.endswith("/layer.tar") for layer in layers):
        return "docker-save-legacy"
    return "docker-archive (containers/image)"


# MARK: - dive

def run_dive(dive, path):
    if not dive or not os.path.exists(dive):
        return {"error": "dive not available"}
    result = {}
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "dive.json")
        run = subprocess.run([dive, "--source", "docker-archive", path, "-j", out],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, errors="replace", timeout=300)
        if run.returncode != 0 or not os.path.exists(out):
            return {"error": run.stdout.strip()[-400:]}
        with open(out) as f:
            result["json"] = json.load(f)
    env = dict(os.environ, CI="true")
    ci = subprocess.run([dive, "--source", "docker-archive", path, "--ci"],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                        text=True, errors="replace", env=env, timeout=300)
    figures = {}
    for key in ("efficiency", "wastedBytes", "userWastedPercent"):
        match = re.search(r"%s: ([0-9.]+)" % key, ci.stdout)
        if match:
            figures[key] = float(match.group(1)) if "." in match.group(1) \
                else int(match.group(1))
    result["ci"] = figures
    result["ciExitCode"] = ci.returncode
    return result


# MARK: - main

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dive")
    parser.add_argument("fixture")
    args = parser.parse_args()

    facts = {"fixture": os.path.basename(args.fixture.rstrip("/"))}
    try:
        fixture = Fixture(args.fixture)
        facts["layout"] = layout_of(fixture)
        facts["members"] = [display(n) for n in fixture.order]
        names = set(fixture.files) | set(fixture.links)
        if "manifest.json" in names:
            facts["images"] = docker_images(fixture)
        else:
            index = json.loads(fixture.read("index.json"))
            facts["images"] = oci_images(fixture, index, "index.json", [])
        if "index.json" in names:
            facts["index"] = index_summary(fixture)
    except Exception as error:  # bad inputs: record how this reader failed
        facts["error"] = "%s: %s" % (type(error).__name__, error)
    if args.dive and os.path.isfile(args.fixture) and "manifest.json" in \
            facts.get("members", []):
        facts["dive"] = run_dive(args.dive, args.fixture)
    json.dump(facts, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
