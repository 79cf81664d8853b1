#!/usr/bin/env bash
# A CMake build tree remembers the folder it was configured in (CMakeCache.txt: CMAKE_CACHEFILE_DIR, and the
# sources' CMAKE_HOME_DIRECTORY); in a clone that was moved or copied (cp -a) CMake then refuses it ("The
# current CMakeCache.txt directory ... is different than the directory ... where CMakeCache.txt was
# created"), and its objects and Ninja files name the old paths, so none of them can be reused. Sourced by
# build-wasm.sh, scripts/test.sh and tests/fuzz/run.sh before they configure a tree:
#   recover_moved_build_tree TREE SOURCE NAME
# clears TREE (keeping its corpus/, the lab corpus the configure step fetched: the same file wherever the
# tree is) when its cache names another folder, saying so on stderr as NAME; the caller then configures it
# afresh. A tree without a cache, or configured here, is left alone. Also runnable:
#   bash scripts/build-tree.sh TREE SOURCE   (tests/node/build-tree.test.mjs)

# The value of a CMakeCache.txt entry (KEY:TYPE=value), or nothing.
cache_entry() {
  sed -n "s/^$2:[A-Z]*=//p" "$1" | head -n 1
}

recover_moved_build_tree() {
  local tree=$1 source=$2 name=${3:-build-tree.sh}
  local cache="$tree/CMakeCache.txt"
  [[ -f $cache ]] || return 0
  local cache_dir home_dir
  cache_dir=$(cache_entry "$cache" CMAKE_CACHEFILE_DIR)
  home_dir=$(cache_entry "$cache" CMAKE_HOME_DIRECTORY)
  # -ef: the same folder (symlinks and .. resolved); false when the recorded one no longer exists.
  if [[ -n $cache_dir && $cache_dir -ef $tree && -n $home_dir && $home_dir -ef $source ]]; then
    return 0
  fi
  echo "$name: $tree was configured in ${cache_dir:-an unknown folder} for the sources in ${home_dir:-an unknown folder}," \
    "not here ($(cd "$tree" && pwd) for $(cd "$source" && pwd)): the clone was moved or copied. Clearing $tree" \
    "(its corpus/ kept) and configuring it again." >&2
  local entry
  shopt -s dotglob nullglob
  for entry in "$tree"/*; do
    [[ $(basename "$entry") == corpus ]] && continue
    rm -rf -- "$entry"
  done
  shopt -u dotglob nullglob
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  [[ $# -eq 2 ]] || { echo "usage: bash scripts/build-tree.sh TREE SOURCE" >&2; exit 2; }
  recover_moved_build_tree "$1" "$2" build-tree.sh
fi
