# Shared by serve.sh and test.sh: install what a fresh Debian machine lacks,
# then build. Sourced, not run. Set FLOWLAB_SKIP_INSTALL=1 to skip apt/npm.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

APT_BUILD=(cmake g++ make nodejs npm emscripten binaryen libeigen3-dev libhwy-dev doctest-dev)
APT_TEST=(chromium clang-14 clang-format-14 libclang-rt-14-dev unzip python3-matplotlib python3-nbformat)

need_apt() {  # prints the packages of "$@" that are not installed
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"; done
}

install_apt() {
  [ "${FLOWLAB_SKIP_INSTALL:-0}" = 1 ] && return 0
  local missing
  missing=$(need_apt "$@")
  [ -z "$missing" ] && return 0
  local SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Node may come from elsewhere than Debian (it is on this project's machines).
  if command -v node >/dev/null && command -v npm >/dev/null; then
    missing=$(echo "$missing" | grep -vx -e nodejs -e npm || true)
  fi
  [ -z "$missing" ] && return 0
  echo "flowlab: installing $(echo $missing)"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
}

build_wasm() {
  # em++ -O1 and above needs acorn, which Debian installs where node does not
  # look: NODE_PATH (CMake also sets it per call).
  export NODE_PATH=/usr/share/nodejs
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/wasm -j"$(nproc)"
}

build_native() {
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native -j"$(nproc)"
}
