# shellcheck shell=bash
# Helpers for the steps of action.yml (sourced, never run). Bash 3.2 compatible: macOS runners
# may run the system bash. Inputs reach the steps as SW_* environment variables, never as text
# pasted into a script, so nothing here evaluates an input.

# sw_annotate LEVEL MESSAGE: a workflow command (error, warning, notice) with the runner's escaping,
# on stderr (the runner reads commands on both streams) so that it also works inside $(...).
sw_annotate() {
  local level=$1 msg=$2 pct='%' cr=$'\r' lf=$'\n'
  msg=${msg//$pct/%25}
  msg=${msg//$cr/%0D}
  msg=${msg//$lf/%0A}
  printf '::%s title=setup-wash::%s\n' "$level" "$msg" >&2
}

sw_fail() {
  sw_annotate error "$1"
  exit 1
}

# sw_output NAME VALUE: a step output (single-line values only; the step fails on anything else).
sw_output() {
  case "$2" in
    *$'\n'* | *$'\r'*) sw_fail "internal: output '$1' has a line break" ;;
  esac
  printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set: run this from action.yml}"
}

# sw_output_lines NAME LINE...: a multi-line step output (one value a line; a line may not
# contain the delimiter, which is random).
sw_output_lines() {
  local name=$1 delim line
  shift
  delim="sw_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  for line in "$@"; do
    case "$line" in
      *$'\n'* | *$'\r'* | *"$delim"*) sw_fail "internal: output '$name' has a bad line" ;;
    esac
  done
  {
    printf '%s<<%s\n' "$name" "$delim"
    printf '%s\n' "$@"
    printf '%s\n' "$delim"
  } >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set: run this from action.yml}"
}

# sw_tool_words WORDS: the tools input as one TOOL[@SPEC] word a line, checked (no shell or
# option syntax can pass: a word is a tool name, then optionally @ and a spec of version
# characters, range operators and spaces-free parts).
sw_tool_words() {
  local w words
  IFS=$' \t\n' read -r -d '' -a words <<<"$1" || true
  for w in ${words[@]+"${words[@]}"}; do
    [[ $w =~ ^[a-z][a-z0-9-]*(@[0-9A-Za-z.^~*<>=|+-]+)?$ ]] ||
      sw_fail "invalid tools word '$w': use TOOL or TOOL@SPEC (tinygo@0.40.1 wasm-tools@^1.240 wkg), separated by spaces or new lines"
    printf '%s\n' "$w"
  done
}

# sw_bool NAME VALUE: prints true or false, failing on anything else (YAML's True/TRUE too).
sw_bool() {
  case "$2" in
    true | True | TRUE) echo true ;;
    false | False | FALSE) echo false ;;
    *) sw_fail "invalid $1 '$2': use true or false" ;;
  esac
}

# sw_sha256 FILE: hex SHA-256 of a file; sw_sha256 - reads stdin.
sw_sha256() {
  local out
  set -- "$1"
  [ "$1" != - ] || set --
  if command -v sha256sum >/dev/null 2>&1; then
    out=$(sha256sum "$@")
  elif command -v shasum >/dev/null 2>&1; then
    out=$(shasum -a 256 "$@")
  elif command -v openssl >/dev/null 2>&1; then
    out=$(openssl dgst -sha256 -r "$@")
  else
    sw_fail "no SHA-256 tool: install coreutils (sha256sum), perl (shasum) or openssl"
  fi
  printf '%s\n' "${out%% *}"
}

# sw_tree_sha256 DIR PATH...: one SHA-256 over the names and contents of the files under the
# PATHs (relative to DIR), in a fixed order.
sw_tree_sha256() {
  local dir=$1 f
  shift
  (
    cd "$dir" || exit 1
    find "$@" -type f | LC_ALL=C sort | while IFS= read -r f; do
      printf '%s %s\n' "$(sw_sha256 "$f")" "$f"
    done
  ) | sw_sha256 -
}

# sw_arch: the runner tool cache's name for this runner's architecture (x64, arm64).
sw_arch() {
  case "${RUNNER_ARCH:-}" in
    X64) echo x64 ;;
    ARM64) echo arm64 ;;
    *) sw_fail "unsupported runner architecture '${RUNNER_ARCH:-unset}': setup-wash runs on X64 and ARM64 runners" ;;
  esac
}

# sw_platform: linux-x64, linux-arm64, macos-x64, macos-arm64 or windows-x64 (Windows on
# ARM64 runs the x64 build, emulated); fails clearly elsewhere.
sw_platform() {
  local arch
  arch=$(sw_arch) || exit 1
  case "${RUNNER_OS:-}" in
    Linux) echo "linux-$arch" ;;
    macOS) echo "macos-$arch" ;;
    Windows) echo "windows-x64" ;;
    *) sw_fail "unsupported runner OS '${RUNNER_OS:-unset}'" ;;
  esac
}

# sw_exe: what an executable's name ends with on this runner: .exe on Windows, else nothing.
sw_exe() {
  if [ "${RUNNER_OS:-}" = Windows ]; then echo .exe; fi
}

# sw_msys2: MSYS2's root on a Windows runner (windows-latest ships it at C:\msys64;
# SW_MSYS2_ROOT moves it), in this bash's form; fails clearly when there is none.
sw_msys2() {
  local root=${SW_MSYS2_ROOT:-/c/msys64}
  [ -x "$root/usr/bin/bash.exe" ] ||
    sw_fail "building setup-wash from source on Windows needs MSYS2, which windows-latest runners have at C:\\msys64; none at '$root' (install it from https://www.msys2.org and set SW_MSYS2_ROOT, or run the action at a release tag, which downloads a built setup-wash.exe)"
  echo "$root"
}

# sw_json_get FILE EXPR: a value from a JSON file, printed as text; EXPR is one of the few
# queries the action needs (see the case below). Uses jq, else python3, else node: every
# GitHub-hosted image has all three.
sw_json_get() {
  local file=$1 what=$2 jqx pyx jsx
  case "$what" in
    status | wash-version | held-back)
      # a top-level string; the key is one of these fixed words, safe inside the programs
      jqx=".[\"$what\"] // \"\""
      pyx="print(d.get(\"$what\") or \"\")"
      jsx="console.log(d[\"$what\"] || \"\")" ;;
    plugin-count)
      jqx='(.plugins // []) | length'
      pyx='print(len(d.get("plugins") or []))'
      jsx='console.log((d.plugins || []).length)' ;;
    tool-count)
      # the tools a lock pins (an object keyed by tool name)
      jqx='(.tools // {}) | length'
      pyx='print(len(d.get("tools") or {}))'
      jsx='console.log(Object.keys(d.tools || {}).length)' ;;
    tool-versions)
      # "name version" lines of a resolve --json answer's tools
      jqx='(.tools // [])[] | "\(.name) \(.version)"'
      pyx='print("\n".join("%s %s" % (t["name"], t["version"]) for t in d.get("tools") or []))'
      jsx='for (const t of d.tools || []) console.log(t.name + " " + t.version)' ;;
    *) sw_fail "internal: unknown JSON query '$what'" ;;
  esac
  if command -v jq >/dev/null 2>&1; then
    jq -r "$jqx" "$file"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
'"$pyx" "$file"
  elif command -v node >/dev/null 2>&1; then
    node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));'"$jsx" "$file"
  else
    sw_fail "reading '$file' needs jq, python3 or node on the runner"
  fi
}

# sw_tool ARGS...: runs setup-wash with the action's token and servers, and nothing else of ours.
# The token goes through export (a builtin), so it is never on a command line.
sw_tool() {
  (
    unset GH_TOKEN GITHUB_TOKEN
    if [ -n "${SW_TOKEN:-}" ]; then
      export GITHUB_TOKEN="$SW_TOKEN"
    fi
    unset SW_TOKEN
    [ -z "${SW_API_URL:-}" ] || export GITHUB_API_URL="$SW_API_URL"
    [ -z "${SW_SERVER_URL:-}" ] || export GITHUB_SERVER_URL="$SW_SERVER_URL"
    exec "${SW_BIN:?the setup-wash binary is unknown}" "$@"
  )
}

# sw_ncpu: processors to build with.
sw_ncpu() {
  getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2
}

# sw_brew_env: on macOS, lets pkg-config see Homebrew's keg-only libcurl, libarchive and OpenSSL.
sw_brew_env() {
  local f p
  [ "${RUNNER_OS:-}" = macOS ] && command -v brew >/dev/null 2>&1 || return 0
  for f in curl libarchive openssl@3; do
    p=$(brew --prefix "$f" 2>/dev/null)/lib/pkgconfig
    [ ! -d "$p" ] || PKG_CONFIG_PATH="$p${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  done
  export PKG_CONFIG_PATH
}

# sw_have_build_deps: a C compiler, CMake, pkg-config and the four libraries (libcurl, cJSON,
# libarchive, OpenSSL 3) are all here.
sw_have_build_deps() {
  { command -v cc || command -v gcc; } >/dev/null 2>&1 && command -v cmake >/dev/null 2>&1 &&
    command -v pkg-config >/dev/null 2>&1 &&
    pkg-config --exists libcurl libcjson libarchive 'openssl >= 3'
}

# sw_install_packages: what setup-wash needs to build and run, through the project's one list
# (scripts/setup-deps --build: apt-get on Debian and Ubuntu, Homebrew on macOS, pacman in
# MSYS2's UCRT64 environment on Windows).
sw_install_packages() {
  case "${RUNNER_OS:-}" in
    Linux | macOS) ;;
    Windows) [ -n "${MSYSTEM_PREFIX:-}" ] || sw_fail "internal: packages on Windows are MSYS2's (run inside its UCRT64 shell)" ;;
    *) sw_fail "cannot install packages on '${RUNNER_OS:-unset}'" ;;
  esac
  echo "::group::install the setup-wash build packages (scripts/setup-deps --build)"
  "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup-deps" --build ||
    sw_fail "installing the setup-wash build packages failed (scripts/setup-deps --build): see the log above"
  echo "::endgroup::"
  sw_brew_env
}

# sw_ensure_runs BIN: BIN starts (its shared libraries are present), installing them once if not.
sw_ensure_runs() {
  "$1" --version >/dev/null 2>&1 && return 0
  echo "setup-wash: '$1' does not start here (missing shared libraries?): installing its packages"
  sw_install_packages
  "$1" --version >/dev/null 2>&1 || sw_fail "'$1' does not start on this runner even with its packages installed"
}

