#!/usr/bin/env bash
# Installs the system libraries NetAtlas links (OpenBLAS with CBLAS, LAPACKE) when missing.
# Safe to run repeatedly: it only calls apt-get when a package is absent.
set -euo pipefail
need=()
for pkg in libopenblas-dev liblapacke-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "setup: installing ${need[*]} through apt"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}"
