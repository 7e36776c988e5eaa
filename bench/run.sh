#!/usr/bin/env bash
# Times layerscope and dive side by side on the bench images and prints a
# markdown table (wall seconds, peak RSS, exit code), also written to
# bench/results/<date>.md.
#
# Usage: bench/run.sh [IMAGE...]   IMAGE is a name under bench/work/ (medium,
#        large, smoke) or a path to a docker-archive tar. Default: every
#        image under bench/work/ except smoke.
#
# Environment:
#   BENCH_TIMEOUT  seconds allowed per command (default 900)
#   SKIP_BUILD=1   time the existing .build/release/layerscope, do not build
#   SKIP_DIVE=1    time layerscope only
#   DIVE           dive binary (default /opt/dive-venv/bin/dive, else PATH)
#   RESULTS        where to write the table (default bench/results/<date>.md;
#                  "-" writes nowhere)
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$BENCH_DIR")
WORK="$BENCH_DIR/work"
LOGS="$WORK/logs"
TIMEOUT=${BENCH_TIMEOUT:-900}
LAYERSCOPE="$REPO/.build/release/layerscope"
DIVE=${DIVE:-/opt/dive-venv/bin/dive}
[[ -x $DIVE ]] || DIVE=$(command -v dive || true)
RESULTS=${RESULTS:-$BENCH_DIR/results/$(date -u +%F).md}

log() { printf '%s [bench] %s\n' "$(date +%T)" "$*" >&2; }

if [[ ! -x /usr/bin/time ]]; then
  log "installing GNU time"
  apt-get install -y time >/dev/null || { log "error: no /usr/bin/time"; exit 1; }
fi
mkdir -p "$LOGS"

# MARK: - Images

images=()
if [[ $# -gt 0 ]]; then
  for arg in "$@"; do
    if [[ -f $arg ]]; then
      images+=("$(realpath "$arg")")
    else
      images+=("$WORK/$arg/image.docker.tar")
    fi
  done
else
  for path in "$WORK"/*/image.docker.tar; do
    [[ -f $path && $path != "$WORK/smoke/"* ]] && images+=("$path")
  done
fi
if [[ ${#images[@]} -eq 0 ]]; then
  log "error: no bench image; run bench/make-large-image.sh first"
  exit 1
fi
for path in "${images[@]}"; do
  [[ -f $path ]] || { log "error: '$path' not found; run bench/make-large-image.sh"; exit 1; }
done

# MARK: - Build

build_note=""
if [[ ${SKIP_BUILD:-0} == 1 ]]; then
  [[ -x $LAYERSCOPE ]] || build_note="no release binary (SKIP_BUILD=1)"
else
  log "swift build -c release (log: $LOGS/build.log)"
  if ! (cd "$REPO" && swift build -c release --product layerscope) >"$LOGS/build.log" 2>&1; then
    build_note="release build failed: $(grep -m1 'error:' "$LOGS/build.log" |
      sed "s|^$REPO/||" | tr -d '|`' | cut -c1-100)"
  fi
fi
[[ -n $build_note ]] && log "layerscope: $build_note"

# A binary that accepts any argument and exits 0 would look fast: flag runs
# whose option `layerscope --help` does not mention.
help_text=""
if [[ -z $build_note ]]; then
  help_text=$(timeout 10 "$LAYERSCOPE" --help 2>&1 || true)
fi
unlisted() {
  grep -q -- "$1" <<<"$help_text" || echo "$1 not in --help: not a real run?"
}

# MARK: - Measuring

rows=()

# Turns time's "h:mm:ss" or "m:ss.ss" into seconds.
to_seconds() {
  awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"$1"
}

# One-line reason for a failure, safe inside a markdown table cell.
first_line() {
  grep -m1 -v '^[[:space:]]*$' "$1" 2>/dev/null | tr -d '\r|`' | cut -c1-80
}

# measure IMAGE TOOL RUN-ID DISPLAYED-COMMAND -- COMMAND...
# Logs go to bench/work/logs/IMAGE-RUN-ID.{out,err,time}.
measure() {
  local image_label=$1 tool=$2 stem="$LOGS/$1-$3" shown=$4
  shift 5
  log "$image_label: $shown"
  (cd "$RUN_DIR" && /usr/bin/time -v -o "$stem.time" \
    timeout -k 10 "$TIMEOUT" "$@" >"$stem.out" 2>"$stem.err")
  local code=$?
  local wall rss note=""
  wall=$(to_seconds "$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$stem.time")")
  rss=$(awk '/Maximum resident set size/ { printf "%.0f", $NF / 1024 }' "$stem.time")
  if [[ $code -eq 124 || $code -eq 137 ]]; then
    note="timed out after $TIMEOUT s"
  elif [[ $code -eq 1 ]] && grep -q 'FAIL' "$stem.out"; then
    note="CI rules failed: $(sed 's/\x1b\[[0-9;]*m//g' "$stem.out" |
      sed -n 's/^ *FAIL: \([A-Za-z]*\).*/\1/p' | paste -sd, -)"
  elif [[ $code -ne 0 ]]; then
    note=$(first_line "$stem.err")
    [[ -n $note ]] || note=$(first_line "$stem.out")
  elif [[ $tool == layerscope ]]; then
    note=$(unlisted "$(grep -o -- '--[a-z]*' <<<"$shown" | head -1)")
  fi
  rows+=("| $image_label | $tool | \`$shown\` | $wall | $rss | $code | $note |")
  log "  -> ${wall}s ${rss} MB exit $code $note"
}

# A row for a command that could not run at all.
skipped() {
  rows+=("| $1 | $2 | \`$3\` | – | – | – | $4 |")
}

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
# The commit measured, taken now: the tree may move on while a long run goes.
REVISION="$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null)$(cd "$REPO" &&
  git diff --quiet HEAD -- Sources Package.swift 2>/dev/null || echo ' + local changes')"
RUN_DIR=$(mktemp -d /tmp/lsbench-run.XXXXXX)
trap 'rm -rf "$RUN_DIR"' EXIT

for archive in "${images[@]}"; do
  folder=$(dirname "$archive")
  label=$(basename "$folder")
  oci="$folder/image.oci.tar"
  short="$label/$(basename "$archive")"

  if [[ -n $build_note ]]; then
    skipped "$label" layerscope "layerscope $short --json /dev/null" "$build_note"
    skipped "$label" layerscope "layerscope $short --ci" "$build_note"
  else
    measure "$label" layerscope ls-json "layerscope $short --json /dev/null" -- \
      "$LAYERSCOPE" "$archive" --json /dev/null
    measure "$label" layerscope ls-ci "layerscope $short --ci" -- \
      "$LAYERSCOPE" "$archive" --ci
    if [[ -f $oci ]]; then
      measure "$label" layerscope ls-oci-json "layerscope $label/image.oci.tar --json /dev/null" -- \
        "$LAYERSCOPE" "$oci" --json /dev/null
    fi
  fi

  if [[ ${SKIP_DIVE:-0} == 1 ]]; then
    continue
  elif [[ -z $DIVE ]]; then
    skipped "$label" dive "dive --source docker-archive $short --ci" "dive not installed"
    continue
  fi
  measure "$label" dive dive-ci "dive --source docker-archive $short --ci" -- \
    "$DIVE" --source docker-archive "$archive" --ci
  measure "$label" dive dive-json "dive --source docker-archive $short -j out.json" -- \
    "$DIVE" --source docker-archive "$archive" -j "$RUN_DIR/dive.json"
  rm -f "$RUN_DIR/dive.json"
done

# MARK: - Report

report() {
  echo "# Bench run $(date -u '+%F %H:%M UTC')"
  echo
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "- layerscope: $REVISION, $(swift --version 2>/dev/null | head -1)"
  [[ -n $DIVE ]] && echo "- dive: $("$DIVE" --version 2>/dev/null)"
  echo "- load average when the run began: $LOAD_AT_START (other work on the machine skews figures)"
  echo "- timeout per command: $TIMEOUT s; wall and peak RSS from \`/usr/bin/time -v\`"
  for archive in "${images[@]}"; do
    local params=""
    [[ -f $(dirname "$archive")/params ]] && params=" ($(cat "$(dirname "$archive")/params"))"
    echo "- $(basename "$(dirname "$archive")"): $(du -m "$archive" | cut -f1) MB docker archive$params"
  done
  echo
  echo "| image | tool | command | wall s | peak RSS MB | exit | note |"
  echo "|---|---|---|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
}

if [[ $RESULTS == - ]]; then
  report
else
  mkdir -p "$(dirname "$RESULTS")"
  report | tee "$RESULTS"
  log "table written to $RESULTS"
fi
