#!/usr/bin/env bash
# Builds the wasm core and serves the lab at http://127.0.0.1:${PORT:-8000}/
source "$(dirname "$0")/setup.sh"
install_apt "${APT_BUILD[@]}"
build_wasm
exec node .ci/static-server.mjs "${PORT:-8000}"
