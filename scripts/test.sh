#!/usr/bin/env bash
# Runs every test: the Swift test suites, the data-root tests against a real dockerd, and the
# real binary driven through tmux. Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
export PATH="$PATH:/opt/swift/usr/bin"
export TZ=UTC LC_ALL=C.UTF-8

swift build -Xswiftc -warnings-as-errors
# Style: .swift-format (100 columns, 2 spaces, no force unwraps); any finding fails the run.
swift format lint --strict -r Sources Tests Package.swift
# A private dockerd builds and loads images into a data root of its own, then stops; the
# DataRoot tests read what it left.
export LAYERSCOPE_DATA_ROOT_FIXTURE="${LAYERSCOPE_DATA_ROOT_FIXTURE:-/tmp/layerscope-dataroot}"
Tests/dataroot/make-data-root.sh "$LAYERSCOPE_DATA_ROOT_FIXTURE"
swift test 2>&1 | tee /tmp/layerscope-swift-test.log
status=${PIPESTATUS[0]}
if [[ -x Tests/tmux/run-tmux-tests.sh ]]; then
  Tests/tmux/run-tmux-tests.sh || status=1
fi
echo "markers: $(grep -rEc 'TODO|FIXME' Sources | awk -F: '{s+=$2} END {print s}') TODO/FIXME in Sources"
exit "$status"
