#!/usr/bin/env bash
# Moves the SDK to another upstream release of the Authlete OpenAPI document:
#   scripts/update-spec.sh COMMIT [FILE]
# COMMIT is the github.com/authlete/openapi commit; FILE, if given, is a local copy of its
# spec_next.yaml (otherwise it is downloaded). Then: the changelog entry (`authlete-codegen diff`
# from the pinned document to the new one) goes on top of spec/crate/CHANGELOG.md, the crate version in
# generator/template/Cargo.toml takes the suggested bump, spec/pin.toml pins the new document,
# and generated/ is regenerated. Review `git diff`, run `make test`, commit.
# Transactional: the new document is validated first (every error in one run) and nothing in
# the tree changes unless every step succeeds.
set -euo pipefail
cd "$(dirname "$0")/.."

commit=${1:?usage: scripts/update-spec.sh COMMIT [FILE]}
file=${2:-}
codegen=${CODEGEN:-cargo run -q --release -p authlete-codegen --}
url="https://raw.githubusercontent.com/authlete/openapi/$commit/spec_next.yaml"

scripts/fetch-spec.sh   # the pinned (old) document, verified
old=spec/authlete-openapi.yaml

new=$(mktemp "${TMPDIR:-/tmp}/authlete-openapi.XXXXXX")
trap 'rm -f "$new"' EXIT
if [ -n "$file" ]; then
  cp "$file" "$new"
else
  curl -fsSL --retry 3 "$url" -o "$new"
fi
sha=$(sha256sum "$new" | cut -d' ' -f1)
version=$(sed -n '/^info:/,/^[^ ]/s/^  version: *["'\'']\{0,1\}\([^"'\'']*\)["'\'']\{0,1\} *$/\1/p' "$new" | head -n 1)

# 1. Validate, writing nothing into the tree: the new document with the overlay, as the pinned
#    one (so an overlay action that matches nothing is an error, and every error of the run is
#    reported together), generated into a scratch directory.
work=$(mktemp -d "${TMPDIR:-/tmp}/update-spec.XXXXXX")
trap 'rm -f "$new"; rm -rf "$work"' EXIT
printf 'sha256 = "%s"\n' "$sha" > "$work/pin.toml"
if ! $codegen generate --spec "$new" --pin "$work/pin.toml" --out "$work/crate" >"$work/validate.log" 2>&1; then
  cat "$work/validate.log" >&2
  echo "update-spec: the new document does not generate with spec/overlay.yaml; nothing was changed" >&2
  exit 1
fi

# Operations the overlay does not name yet get names made from their operationId and tag: say
# so now, with the overlay actions to paste (so the changelog is not released with names the
# next commit changes).
$codegen suggest-names --spec "$new" --pin "$work/pin.toml" > "$work/names.yaml"
if [ -s "$work/names.yaml" ]; then
  echo "update-spec: these operations have no name in spec/overlay.yaml; to keep or change the names below, add to its actions:" >&2
  cat "$work/names.yaml" >&2
fi

# 2. Everything that will change, prepared beside the tree.
# The old side is what users have: the pinned document with the committed overlay (when the
# overlay was edited for the new document, its renames are changes too).
old_overlay=spec/overlay.yaml
if git rev-parse --verify -q HEAD:spec/overlay.yaml >/dev/null 2>&1; then
  git show HEAD:spec/overlay.yaml > "$work/old-overlay.yaml"
  old_overlay="$work/old-overlay.yaml"
fi
$codegen diff --old "$old" --old-overlay "$old_overlay" --new "$new" --format markdown > "$work/entry.md"
$codegen diff --old "$old" --old-overlay "$old_overlay" --new "$new" --format json > "$work/entry.json"
next=$(sed -n 's/^  "next_version": "\(.*\)",\{0,1\}$/\1/p' "$work/entry.json")
test -n "$next" || { echo "update-spec: no next_version in the diff" >&2; exit 1; }

# The entry goes below the changelog's introduction, above the previous entries.
{
  sed -n '1,/^## /{/^## /!p}' spec/crate/CHANGELOG.md
  cat "$work/entry.md"
  echo
  sed -n '/^## /,$p' spec/crate/CHANGELOG.md
} > "$work/CHANGELOG.md"
sed "0,/^version = \".*\"/s//version = \"$next\"/" generator/template/Cargo.toml > "$work/Cargo.toml"
cat > "$work/pin.toml" <<PIN
# The upstream Authlete OpenAPI document this SDK is generated from. The document itself is not
# committed: \`make spec\` copies it from \$AUTHLETE_SPEC_MIRROR or ../shared/spec/ when present,
# else downloads \`url\`, and checks \`sha256\` either way.
version = "$version"
commit = "$commit"
url = "$url"
sha256 = "$sha"
PIN

# 3. Into the tree, all or nothing: the previous files are kept until generated/ is written
#    (itself atomic), and put back if anything fails on the way.
targets=(spec/crate/CHANGELOG.md generator/template/Cargo.toml spec/pin.toml "$old")
sources=("$work/CHANGELOG.md" "$work/Cargo.toml" "$work/pin.toml" "$new")
for t in "${targets[@]}"; do cp -p "$t" "$work/backup.$(basename "$t")"; done
restore() {
  for t in "${targets[@]}"; do cp -p "$work/backup.$(basename "$t")" "$t"; done
  echo "update-spec: failed; the tree is as it was" >&2
}
trap 'status=$?; if [ $status -ne 0 ]; then restore; fi; rm -f "$new"; rm -rf "$work"' EXIT
for i in "${!targets[@]}"; do cp "${sources[$i]}" "${targets[$i]}.update" && mv "${targets[$i]}.update" "${targets[$i]}"; done
$codegen generate
echo "updated to $commit (sha256 $sha), crate version $next; see spec/crate/CHANGELOG.md"
