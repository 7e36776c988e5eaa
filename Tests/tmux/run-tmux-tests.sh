#!/usr/bin/env bash
# Drives the real layerscope binary through tmux and checks what the terminal shows.
#
# Usage: Tests/tmux/run-tmux-tests.sh            (from the repository root, after swift build)
#   LAYERSCOPE_BIN   the binary to run (default .build/debug/layerscope)
#   FIXTURE          the image to open (default TestImages/docker25.tar)
#
# Each step sends keys with `tmux send-keys`, waits for the screen to settle, reads it with
# `tmux capture-pane` and looks for text. After each quit it checks that the terminal is back:
# the alternate screen is off, the shell prompt is back and the tty is in canonical mode.
# Prints "N passed, N failed" last and exits non-zero when anything failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${LAYERSCOPE_BIN:-$ROOT/.build/debug/layerscope}"
FIXTURE="${FIXTURE:-$ROOT/TestImages/docker25.tar}"
MULTI="${MULTI:-$ROOT/TestImages/multi-image.tar}"
SESSION="layerscope-test-$$"
PROMPT='READY$'
passed=0
failed=0

if ! command -v tmux >/dev/null; then
  echo "tmux is not installed"
  echo "0 passed, 1 failed"
  exit 1
fi
if [[ ! -x $BIN ]]; then
  echo "no binary at $BIN; run swift build first"
  echo "0 passed, 1 failed"
  exit 1
fi

cleanup() { tmux kill-session -t "$SESSION" 2>/dev/null; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$SESSION"; }

pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() {
  failed=$((failed + 1))
  echo "FAIL $1"
  echo "---- screen ----"
  screen | sed 's/^/  | /'
  echo "----------------"
}

# Waits until the screen contains a fixed string (or the timeout in tenths of a second).
wait_for() {
  local text="$1" tries="${2:-50}"
  for ((i = 0; i < tries; i++)); do
    screen | grep -qF -- "$text" && return 0
    sleep 0.1
  done
  return 1
}

# Sends keys, then checks that the screen shows each of the following strings.
step() {
  local name="$1" keys="$2"
  shift 2
  if [[ -n $keys ]]; then
    # shellcheck disable=SC2086
    tmux send-keys -t "$SESSION" $keys
  fi
  sleep 0.3
  local text
  for text in "$@"; do
    if ! wait_for "$text" 30; then
      fail "$name: expected '$text'"
      return
    fi
  done
  pass "$name"
}

# Checks that a string is not on the screen.
absent() {
  local name="$1" text="$2"
  if screen | grep -qF -- "$text"; then fail "$name: did not expect '$text'"; else pass "$name"; fi
}

# Checks that the terminal is usable again after layerscope left.
restored() {
  local name="$1" status="$2"
  if ! wait_for "$PROMPT" 30; then
    fail "$name: no shell prompt after exit"
    return
  fi
  if [[ $(tmux display -p -t "$SESSION" '#{alternate_on}') != 0 ]]; then
    fail "$name: still on the alternate screen"
    return
  fi
  if ! wait_for "exit=$status" 30; then
    fail "$name: exit status is not $status"
    return
  fi
  tmux send-keys -t "$SESSION" "clear; stty -a | tr ' ' '\\n' | grep -x -- '-*icanon'" Enter
  if ! wait_for "icanon" 30 || screen | grep -qx -- "-icanon"; then
    fail "$name: the tty is still in raw mode"
    return
  fi
  pass "$name"
}

start() {
  local width="$1" height="$2"
  shift 2
  tmux kill-session -t "$SESSION" 2>/dev/null
  tmux new-session -d -s "$SESSION" -x "$width" -y "$height" \
    "env -i PATH=/usr/bin:/bin HOME=/tmp TERM=xterm-256color LANG=C.UTF-8 TZ=UTC PS1='$PROMPT ' bash --norc --noprofile"
  wait_for "$PROMPT" 150 || { echo "cannot start a shell in tmux"; exit 1; }
  tmux send-keys -t "$SESSION" "$BIN $*; echo exit=\$?" Enter
}

# --- 80x24: walk the layers, expand, filter, search, switch views, resize, quit -------------
start 80 24 "$FIXTURE"
step "first screen shows the top layer" "" "Layers" "Files" "layer 6 of 6" "merged view"
step "names that are not UTF-8 are escaped" "" 'raw-\xff'
step "layer list shows commands without the shell" "" "RUN mkdir"
absent "no /bin/sh -c in the layer list" "/bin/sh -c"
step "details show the image" "" "Efficiency" "User wasted"
step "a cut details block says how to see it all" "" "… more: press d"
step "d shows the whole command" "d" "details · ← → layer · Esc close" \
  ">/usr/share/data/three.txt # buildkit" "Reclaimable 5.4 kB" "/opt/app/config.txt"
step "left steps to the layer below" "Left" "Layer 5 of 6" "rm -rf /var/cache/app"
step "Esc closes the details" "Escape" "━ Layers" "layer 5 of 6"
step "walk down to the first layer" "g" "layer 1 of 6"
step "walk up one layer" "j" "layer 2 of 6"
step "aggregated view (dive Ctrl-A)" "C-a" "aggregated view"
step "layer-only view" "c" "layer only view"
step "back to merged (dive Ctrl-L)" "C-l" "merged view"
step "cycle views with v" "v" "aggregated view"
step "cycle again" "v v" "merged view"
step "go to the last layer" "G" "layer 6 of 6"
step "focus the file tree" "Tab" "━ Files"
step "collapse the first directory" "g Space" "▸ bin"
step "expand it again" "Enter" "▾ bin"
step "help screen" "?" "Keys" "Switch between the layer list and the file tree"
step "close help" "Escape" "━ Files"
step "filter paths" "f" "Filter (regex):"
step "type the filter" "o s - r e l" "filter os-rel" "os-release"
absent "the filter hides other files" "passwd"
step "keep the filter" "Enter" "filter os-rel"
step "clear the filter" "f BSpace BSpace BSpace BSpace BSpace BSpace Enter" "passwd"
step "search a name" "/ p a s s w d Enter" "passwd"
step "next match" "n" "passwd"
step "hide unchanged entries" "u" "hiding unchanged"
step "show them again" "u" "━ Files ━━━"
step "sort by size" "s" "by size"
step "hide attributes" "b" "Files"
absent "no attribute header" "Permission"
step "show attributes" "b" "Permission"
tmux resize-window -t "$SESSION" -x 60 -y 20 2>/dev/null || tmux resize-pane -t "$SESSION" -x 60 -y 20
step "resize to 60x20 stacks the panes" "" "Layers" "Files"
absent "no details when stacked" "Efficiency"
tmux resize-window -t "$SESSION" -x 20 -y 5 2>/dev/null || true
step "tiny terminal shows a note" "" "Terminal too small"
tmux resize-window -t "$SESSION" -x 80 -y 24 2>/dev/null || true
step "back to 80x24" "" "Efficiency"
step "quit with q" "q" "$PROMPT"
restored "terminal restored after q" 0

# --- Ctrl-C quits ----------------------------------------------------------------------------
start 80 24 "$FIXTURE"
step "started again" "" "Layers"
step "Ctrl-C" "C-c" "$PROMPT"
restored "terminal restored after Ctrl-C" 0

# --- SIGTERM and SIGHUP restore the terminal ---------------------------------------------------
for signal in TERM HUP; do
  start 80 24 "$FIXTURE"
  step "started for SIG$signal" "" "Layers"
  shell_pid=$(tmux display -p -t "$SESSION" '#{pane_pid}')
  app_pid=$(pgrep -P "$shell_pid" -f layerscope | head -n 1)
  if [[ -n $app_pid ]]; then kill -s "$signal" "$app_pid"; fi
  code=$((128 + $(kill -l "$signal")))
  restored "terminal restored after SIG$signal" "$code"
done

# --- 60x20 from the start, and the picker ------------------------------------------------------
start 60 20 "$MULTI"
step "picker lists the images" "" "Images" "layerscope/app-a:1" "layerscope/base:1"
step "type to filter the picker" "b a s e" "Filter: base"
absent "the filter hides other images" "app-a"
step "open the image" "Enter" "layer 1 of 1" "Files"
step "Esc goes back to the picker" "Escape" "Images"
step "quit from the picker" "C-c" "$PROMPT"
restored "terminal restored after the picker" 0

echo "$passed passed, $failed failed"
((failed == 0))
