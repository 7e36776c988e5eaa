#!/usr/bin/env bash
# Builds layerscope and opens the bundled sample image (a real `docker save` archive).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export PATH="$PATH:/opt/swift/usr/bin"
swift build -c release
exec .build/release/layerscope TestImages/docker-legacy.tar "$@"
