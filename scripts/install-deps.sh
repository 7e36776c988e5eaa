#!/usr/bin/env bash
# Installs the Debian packages layerscope builds against, and (with --test) those its tests use.
set -euo pipefail
packages=(libarchive-dev libncursesw5-dev libssl-dev pkg-config)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(tmux python3 docker.io tar-split rootlesskit uidmap)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
export PATH="$PATH:/opt/swift/usr/bin"
command -v swift >/dev/null || { echo "swift is not on PATH (expected /opt/swift/usr/bin)" >&2; exit 1; }
