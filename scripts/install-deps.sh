#!/usr/bin/env bash
# Installs what this project needs on Debian 12, and only what is missing: the C++ toolchain (with Ninja,
# the generator scripts/test.sh gives new build trees), Eigen,
# GoogleTest, Emscripten, Node.js, Chromium (browser tests), numpy (cross-check), Jekyll, Hugo, MkDocs and pandoc
# (the embed-site test builds a real site with each), clang 14 with its sanitizer and libFuzzer runtimes
# (libclang-rt-14-dev) and llvm-symbolizer (llvm-14) for the sanitizer and fuzz suites; then the npm
# dev dependencies (playwright-core, axe-core for the accessibility test, vite for the package test's Vite site,
# rollup and esbuild for scripts/bundle.mjs, which build-dist.sh runs)
# from package-lock.json. Fast and silent when all is there.
# Runs as root (CI) or through sudo when available.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(build-essential cmake ninja-build libeigen3-dev googletest libgtest-dev emscripten nodejs chromium python3-numpy fonts-wqy-microhei
  clang-14 libclang-rt-14-dev llvm-14)
# npm ships inside some nodejs builds (NodeSource's); Debian's separate npm package would conflict there.
command -v npm >/dev/null 2>&1 || packages+=(npm)
# Installed with --no-install-recommends: the test sites use no theme, so jekyll's recommended minima theme
# and fonts, and hugo's recommends, are not needed. mkdocs: 27 packages, 9.7 MB to download, 35 MB installed;
# pandoc: 3 packages, 22 MB to download, 166 MB installed (one static binary); measured on Debian 12 with
# apt-get install -s --no-install-recommends and apt-cache show (2026-12-07).
lean_packages=(jekyll hugo mkdocs pandoc)

is_installed() {
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

missing=()
for package in "${packages[@]}"; do
  is_installed "$package" || missing+=("$package")
done
missing_lean=()
for package in "${lean_packages[@]}"; do
  is_installed "$package" || missing_lean+=("$package")
done

all_missing=("${missing[@]}" "${missing_lean[@]}")

if ((${#all_missing[@]})); then
  echo "install-deps.sh: installing ${all_missing[*]}"
  as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps.sh: need root or sudo to install ${all_missing[*]}" >&2; exit 1; }
    as_root=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  if ((${#missing[@]})); then
    "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if ((${#missing_lean[@]})); then
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing_lean[@]}" >/dev/null
  fi
  for package in "${all_missing[@]}"; do
    is_installed "$package" || { echo "install-deps.sh: $package did not install" >&2; exit 1; }
  done
fi

# npm dev dependencies: (re)install when node_modules is missing or older than the lockfile.
cd "$root"
stamp=node_modules/.package-lock.json
if [[ ! -f $stamp || package-lock.json -nt $stamp || package.json -nt $stamp ]]; then
  echo "install-deps.sh: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
