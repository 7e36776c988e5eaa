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

# Writes DIR/hostile.tar: a docker-save archive whose file names, command and tag hold
# terminal escape sequences (set the window title, colors, bell).
make_hostile_image() {
  local dir="$1" root diff config hex
  root="$dir/rootfs"
  mkdir -p "$root/srv"
  : >"$root/srv/"$'title\e]2;pwned-by-name\a.txt'
  : >"$root/srv/"$'red\e[31mtext'
  : >"$root/srv/"$'bell\a\x7fdel'
  (cd "$root" && tar --format=pax --owner=0 --group=0 --mtime=@1700000000 \
    -cf "$dir/layer.tar" srv)
  diff=$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
  config='{"architecture":"amd64","os":"linux","config":{},'
  config+='"rootfs":{"type":"layers","diff_ids":["sha256:'"$diff"'"]},'
  config+='"history":[{"created":"2024-01-01T00:00:00Z",'
  config+='"created_by":"/bin/sh -c echo \u001b]2;pwned-by-command\u0007 \u001b[5mblink"}]}'
  printf '%s' "$config" >"$dir/config.json"
  hex=$(sha256sum "$dir/config.json" | cut -d' ' -f1)
  mv "$dir/config.json" "$dir/$hex.json"
  printf '[{"Config":"%s.json","RepoTags":["hostile/\\u001b]2;pwned-by-tag\\u0007x:1"],' "$hex" \
    >"$dir/manifest.json"
  printf '"Layers":["layer.tar"]}]' >>"$dir/manifest.json"
  (cd "$dir" && tar --owner=0 --group=0 -cf hostile.tar manifest.json "$hex.json" layer.tar)
}

# Checks the pane's styles: whether any foreground color is set (tmux capture-pane -e).
colored() {
  tmux capture-pane -p -e -t "$SESSION" | grep -qE $'\e\\[([0-9;]*;)?3[1-7](;[0-9;]*)?m'
}

# Whether red or blink shows: the hostile image has no removed entries, so neither should.
stray_style() {
  tmux capture-pane -p -e -t "$SESSION" | grep -qE $'\e\\[([0-9;]*;)?(31|5)(;[0-9;]*)?m'
}

# Mouse reports as xterm sends them (SGR 1006) at column;row, 1-based: a press and its
# release for a click (button 0), a press alone for the wheel (64 up, 65 down).
mouse() {
  tmux send-keys -t "$SESSION" -l $'\e[<'"$1;$2;$3"'M'
  if [[ $1 == 0 ]]; then tmux send-keys -t "$SESSION" -l $'\e[<'"$1;$2;$3"'m'; fi
}

start() {
  local width="$1" height="$2"
  shift 2
  tmux kill-session -t "$SESSION" 2>/dev/null
  tmux new-session -d -s "$SESSION" -x "$width" -y "$height" \
    "env -i PATH=/usr/bin:/bin HOME=/tmp TERM=xterm-256color LANG=C.UTF-8 TZ=UTC \
      ${EXTRA_ENV:-} PS1='$PROMPT ' bash --norc --noprofile"
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
# The whole diff ID of layer 6, as TestImages/expected/docker-legacy.json records it.
step "d shows the whole command" "d" "━ Layer 6 of 6 ━ details ·" "← → layer · Esc close" \
  ">/usr/share/data/three.txt # buildkit" "Reclaimable 5.4 kB" "/opt/app/config.txt" \
  "78ff045681ef4a2cb1021af49f4b401ce277d661c16029551b1e39203ba6f81a" \
  "Also named  layerscope/fixture:v1, registry.example.com/team/fixture:1.0"
step "left steps to the layer below" "Left" "Layer 5 of 6" "rm -rf /var/cache/app"
step "Esc closes the details" "Escape" "━ Layers" "layer 5 of 6"
step "walk down to the first layer" "g" "layer 1 of 6"
step "walk up one layer" "j" "layer 2 of 6"
if colored; then pass "entries are colored by their change"; else fail "no color on screen"; fi
step "aggregated view (dive Ctrl-A)" "C-a" "aggregated view"
step "layer-only view" "c" "layer only view"
step "back to merged (dive Ctrl-L)" "C-l" "merged view"
step "cycle views with v" "v" "aggregated view"
step "cycle again" "v v" "merged view"
step "go to the last layer" "G" "layer 6 of 6"
step "focus the file tree" "Tab" "━ Files"
step "End goes to the last row" "End" "└─▾ var" "  └─▾ cache"
absent "End scrolled the first rows away" "├─▾ bin"
step "Home goes back to the first" "Home" "├─▾ bin"
step "PgDn pages down" "NPage" "├─▾ srv"
absent "PgDn scrolled the first rows away" "├─▾ bin"
step "PgUp pages back" "PPage" "├─▾ bin"
tmux send-keys -t "$SESSION" -l $'\e[99~'
step "an escape sequence curses does not know is dropped" "" "━ Files" "layer 6 of 6"
absent "it is not taken for Esc and keys" "Images"
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
step "dive Ctrl-O sorts by name again" "C-o" "━ Files ━━━"
step "dive Ctrl-B hides attributes" "C-b" "Files"
absent "Ctrl-B left no attribute header" "Permission"
step "dive Ctrl-B shows them" "C-b" "Permission"
step "dive Ctrl-U hides unchanged entries" "C-u" "hiding unchanged"
step "dive Ctrl-R hides removed entries too" "C-r" "hiding unchanged,removed"
step "both shown again" "C-u C-r" "━ Files ━━━"
step "dive Ctrl-Space collapses every directory" "g C-Space" \
  "├─▸ bin" "├─▸ etc" "└─▸ var"
step "and expands them again" "C-Space" "├─▾ bin"
step "dive Ctrl-F starts the filter" "C-f" "Filter (regex):"
step "Esc leaves it" "Escape" "━ Files"
mouse 0 5 4
step "a click on a layer row selects it" "" "layer 2 of 6" "━ Layers"
mouse 65 40 10
step "the wheel over the tree focuses and scrolls it" "" "━ Files"
step "select the second tree row" "g j" "━ Files"
mouse 0 45 4
step "a click on another row only selects it" "" "├─▾ bin" "│ └── sh"
mouse 0 45 4
step "a click on the selected directory collapses it" "" "├─▸ bin"
mouse 0 45 4
step "a second click expands it" "" "├─▾ bin"
step "back to the top layer" "Tab G" "layer 6 of 6"
tmux resize-window -t "$SESSION" -x 40 -y 12 2>/dev/null || true
step "a narrow tree keeps the names" "" "└── sh"
absent "and leaves out the attributes" "rwx"
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
mouse 0 5 4
mouse 0 5 4
step "two clicks on an image's row open it" "" "layer 1 of 1" "Files"
step "and Esc goes back again" "Escape" "Images"
step "quit from the picker" "C-c" "$PROMPT"
restored "terminal restored after the picker" 0

# --- NO_COLOR: marks without color -------------------------------------------------------------
EXTRA_ENV="NO_COLOR=1" start 80 24 "$FIXTURE"
step "started with NO_COLOR" "" "Layers"
step "removed entries are marked with -" "k" "layer 5 of 6" "- -rw-r--r--"
if colored; then fail "NO_COLOR: a color was set"; else pass "NO_COLOR: no color, marks only"; fi
step "quit" "q" "$PROMPT"
restored "terminal restored after NO_COLOR" 0

# --- A locale without UTF-8: ASCII lines and marks, columns kept ----------------------------------
EXTRA_ENV="LANG=C" start 80 24 "$FIXTURE"
step "LANG=C draws the frame in ASCII" "" "= Layers = 6 of 6 ===" "|- Files ---" "|-v bin"
step "and the marks" "k" "* " "- -rw-r--r--"
step "quit" "q" "$PROMPT"
restored "terminal restored after LANG=C" 0

# --- Names, commands and tags that hold escape sequences ----------------------------------------
hostile_dir=$(mktemp -d)
make_hostile_image "$hostile_dir"
start 80 24 "$hostile_dir/hostile.tar"
step "a tag's escapes are shown escaped" "" 'hostile/\x1b]2;pwned-by-tag\x07x:1'
step "a command's escapes are shown escaped" "" '\x1b]2;pwned-by-command\x07'
step "file names' escapes are shown escaped" "" 'bell\x07\x7f' 'red\x1b[31mt' 'title\x1b]2;'
if tmux display -p -t "$SESSION" '#{pane_title}' | grep -q pwned; then
  fail "an escape sequence set the window title"
else
  pass "no escape sequence reached the terminal (the title is untouched)"
fi
if stray_style; then
  fail "an escape sequence styled the screen"
else
  pass "no stray red or blink"
fi
step "quit" "q" "$PROMPT"
restored "terminal restored after the hostile image" 0
rm -rf "$hostile_dir"

# --- A Docker data root: picker, Esc, the layer ancestry ----------------------------------------
DATA_ROOT="${LAYERSCOPE_DATA_ROOT_FIXTURE:-/tmp/layerscope-dataroot}/root"
if [[ -d $DATA_ROOT/image ]]; then
  start 80 24 "$DATA_ROOT"
  step "a data root opens on the picker" "" "Images" "layerscope/fixture:latest" \
    "Tab layer ancestry"
  step "type to filter" "f i x t u r e" "Filter: fixture"
  absent "the filter hides other images" "layerscope/base:1"
  step "open it" "Enter" "layer 6 of 6" "━ Layers" "Esc images"
  step "Esc goes back to the picker" "Escape" "Images" "Filter: fixture"
  step "Esc clears the filter" "Escape" "layerscope/base:1"
  step "Tab shows the layer ancestry" "Tab" "Layer ancestry" "shared by several images" "◆"
  step "the selected layer lists its images" "" "Shared by"
  step "Esc goes back to the picker" "Escape" "Images"
  step "quit" "C-c" "$PROMPT"
  restored "terminal restored after the data root" 0
elif [[ -n ${CI:-} ]]; then
  failed=$((failed + 1))
  echo "FAIL data root: no $DATA_ROOT in CI (scripts/test.sh makes it first)"
else
  echo "skip data root: no $DATA_ROOT (Tests/dataroot/make-data-root.sh makes it)"
fi

echo "$passed passed, $failed failed"
((failed == 0))
