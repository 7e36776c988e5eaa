#!/usr/bin/env python3
"""Prints a markdown table of what each layer of a `docker save` archive holds.

Independent of layerscope on purpose: these are the figures to check it by.
"""

import json
import sys
import tarfile


def count(layer):
    facts = dict(entries=0, files=0, dirs=0, symlinks=0, hardlinks=0,
                 whiteouts=0, opaque=0, data=0)
    for entry in layer:
        facts["entries"] += 1
        base = entry.name.rstrip("/").rsplit("/", 1)[-1]
        if base == ".wh..wh..opq":
            facts["opaque"] += 1
        elif base.startswith(".wh."):
            facts["whiteouts"] += 1
        elif entry.islnk():
            facts["hardlinks"] += 1
        elif entry.issym():
            facts["symlinks"] += 1
        elif entry.isdir():
            facts["dirs"] += 1
        elif entry.isfile():
            facts["files"] += 1
            facts["data"] += entry.size
    return facts


def main():
    path = sys.argv[1]
    with tarfile.open(path, "r:") as outer:
        manifest = json.load(outer.extractfile("manifest.json"))[0]
        rows = []
        for number, name in enumerate(manifest["Layers"], 1):
            member = outer.getmember(name)
            with tarfile.open(fileobj=outer.extractfile(member), mode="r|") as layer:
                rows.append((number, member.size, count(layer)))

    columns = ["entries", "files", "dirs", "symlinks", "hardlinks",
               "whiteouts", "opaque"]
    print(f"`{path.rsplit('/', 1)[-1]}`: {len(rows)} layers\n")
    print("| layer | tar MB | " + " | ".join(columns) + " | file data MB |")
    print("|---:|---:|" + "---:|" * len(columns) + "---:|")
    totals = dict.fromkeys(columns + ["data"], 0)
    tar_total = 0
    for number, size, facts in rows:
        tar_total += size
        for key in totals:
            totals[key] += facts[key]
        cells = " | ".join(str(facts[c]) for c in columns)
        print(f"| {number} | {size / 1e6:.1f} | {cells} | {facts['data'] / 1e6:.1f} |")
    cells = " | ".join(f"**{totals[c]}**" for c in columns)
    print(f"| all | **{tar_total / 1e6:.1f}** | {cells} | **{totals['data'] / 1e6:.1f}** |")


if __name__ == "__main__":
    main()
