#!/usr/bin/env bash
# Builds the release archive a machine without the Swift toolchain runs:
#   dist/promote-<version>-linux-<arch>.tar.gz and dist/promote-<version>-linux-<arch>.tar.gz.sha256
# holding bin/promote and bin/promote-forge-sim (Swift runtime and Foundation linked in statically, no RUNPATH, stripped),
# the man pages, shell completions, the deploy/ and ci/ files, and share/doc/promote/debian-packages.txt: the
# Debian packages of the system libraries the binaries still load (libgit2, libcurl, libyaml, SQLite).
# `promote --version` names the version and the commit, stamped for this build only (Sources/PromoteCLI/BuildStamp.swift
# is put back afterwards, so a plain `swift build` never needs git).
#
# usage: scripts/package.sh   (release build in .build-dist, separate from .build; PROMOTE_DIST_SCRATCH overrides)
# Proven by scripts/test-package.sh (the archive unpacked and run with the toolchain hidden).
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${PROMOTE_DIST_SCRATCH:-.build-dist}"
version="$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/PromoteCLI/PromoteVersion.swift)"
arch="$(uname -m)"
name="promote-$version-linux-$arch"
[ -n "$version" ] || { echo "package: no version in Sources/PromoteCLI/PromoteVersion.swift" >&2; exit 1; }

commit="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- Sources Package.swift 2>/dev/null; then commit="$commit-dirty"; fi

# Stamp the commit for this build, and put the file back whatever happens.
stamp=Sources/PromoteCLI/BuildStamp.swift
mkdir -p "$scratch"
cp -p "$stamp" "$scratch/BuildStamp.swift.orig"
restore() { cp -p "$scratch/BuildStamp.swift.orig" "$stamp"; }
trap restore EXIT
sed -i "s|static let commit: String? = nil|static let commit: String? = \"$commit\"|" "$stamp"
grep -q "\"$commit\"" "$stamp" || { echo "package: could not stamp $stamp" >&2; exit 1; }

started=$(date +%s)
for product in promote promote-forge-sim; do
  swift build -c release --static-swift-stdlib --disable-local-rpath --scratch-path "$scratch" --product "$product"
done
echo "package: release build took $(( $(date +%s) - started )) s"
restore
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"

stage="$scratch/stage/$name"
rm -rf "$scratch/stage"
mkdir -p "$stage/bin" "$stage/share/man/man1" "$stage/share/doc/promote" "$stage/share/promote" \
  "$stage/share/bash-completion/completions" "$stage/share/zsh/site-functions" "$stage/share/fish/vendor_completions.d"
for tool in promote promote-forge-sim; do
  install -m 0755 "$bin/$tool" "$stage/bin/$tool"
  strip --strip-unneeded "$stage/bin/$tool"
  # Nothing of the toolchain may remain: no RUNPATH/RPATH, no libswift*/Foundation/dispatch shared objects.
  if readelf -d "$stage/bin/$tool" | grep -E 'RUNPATH|RPATH|libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime'; then
    echo "package: $tool still depends on the Swift toolchain (above)" >&2; exit 1
  fi
done

"$stage/bin/promote" --version | grep -q "commit $commit" || { echo "package: promote --version lacks commit $commit" >&2; exit 1; }

# The Debian packages that provide what the binaries load (dpkg knows which package owns each library; with
# merged /usr it may know the file under /lib or under /usr/lib, so both spellings are asked).
owner() {
  local path real candidate
  path="$(ldconfig -p | awk -v l="$1" '$1 == l { print $NF; exit }')"
  [ -n "$path" ] || { echo "package: $1 is not installed here" >&2; return 1; }
  real="$(readlink -f "$path")"
  for candidate in "$path" "$real" "/usr${path#/usr}" "/usr${real#/usr}" "${real#/usr}"; do
    dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1 | grep . && return 0
  done
  echo "package: no Debian package owns $path" >&2; return 1
}
for tool in promote promote-forge-sim; do
  readelf -d "$stage/bin/$tool" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'
done | sort -u > "$scratch/needed.txt"
{ while read -r lib; do owner "$lib"; done < "$scratch/needed.txt"; echo ca-certificates; } | sort -u \
  > "$stage/share/doc/promote/debian-packages.txt"
[ -s "$stage/share/doc/promote/debian-packages.txt" ] || { echo "package: no Debian packages found" >&2; exit 1; }

# Shell completions and man pages, from the command tree itself.
mtime="$(git log -1 --format=%ct 2>/dev/null || date +%s)"
"$stage/bin/promote" --generate-completion-script bash > "$stage/share/bash-completion/completions/promote"
"$stage/bin/promote" --generate-completion-script zsh > "$stage/share/zsh/site-functions/_promote"
"$stage/bin/promote" --generate-completion-script fish > "$stage/share/fish/vendor_completions.d/promote.fish"
# swift-argument-parser's own generate-manual tool: one mdoc page per command, from `promote --experimental-dump-help`.
swift build -c release --scratch-path "$scratch" --product generate-manual
"$bin/generate-manual" "$stage/bin/promote" --multi-page --output-directory "$stage/share/man/man1" \
  --date "$(date -u -d "@$mtime" +%Y-%m-%d)"

cp README.md docs/install.md "$stage/share/doc/promote/"
cp -r deploy ci "$stage/share/promote/"

mkdir -p dist
rm -f "dist/$name.tar.gz" "dist/$name.tar.gz.sha256"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -C "$scratch/stage" -czf "dist/$name.tar.gz" "$name"
(cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "package: dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1)), $("$stage/bin/promote" --version)"
cat "dist/$name.tar.gz.sha256"
