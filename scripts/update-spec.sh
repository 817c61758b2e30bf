#!/usr/bin/env bash
# Moves the SDK to another upstream release of the Authlete OpenAPI document:
#   scripts/update-spec.sh COMMIT [FILE]
# COMMIT is the github.com/authlete/openapi commit; FILE, if given, is a local copy of its
# spec_next.yaml (otherwise it is downloaded). Then: the changelog entry (`authlete-codegen diff`
# from the pinned document to the new one) goes on top of spec/crate/CHANGELOG.md, the crate version in
# generator/template/Cargo.toml takes the suggested bump, spec/pin.toml pins the new document,
# and generated/ is regenerated. Review `git diff`, run `make test`, commit.
set -euo pipefail
cd "$(dirname "$0")/.."

commit=${1:?usage: scripts/update-spec.sh COMMIT [FILE]}
file=${2:-}
codegen=${CODEGEN:-cargo run -q --release -p authlete-codegen --}
url="https://raw.githubusercontent.com/authlete/openapi/$commit/spec_next.yaml"

scripts/fetch-spec.sh   # the pinned (old) document, verified
old=spec/authlete-openapi.yaml

new=$(mktemp "${TMPDIR:-/tmp}/authlete-openapi.XXXXXX")
trap 'rm -f "$new" "$new.entry" "$new.json"' EXIT
if [ -n "$file" ]; then
  cp "$file" "$new"
else
  curl -fsSL --retry 3 "$url" -o "$new"
fi
sha=$(sha256sum "$new" | cut -d' ' -f1)
version=$(sed -n '/^info:/,/^[^ ]/s/^  version: *["'\'']\{0,1\}\([^"'\'']*\)["'\'']\{0,1\} *$/\1/p' "$new" | head -n 1)

$codegen diff --old "$old" --new "$new" --format markdown > "$new.entry"
$codegen diff --old "$old" --new "$new" --format json > "$new.json"
next=$(sed -n 's/^  "next_version": "\(.*\)",\{0,1\}$/\1/p' "$new.json")

# The entry goes below the changelog's introduction, above the previous entries.
{
  sed -n '1,/^## /{/^## /!p}' spec/crate/CHANGELOG.md
  cat "$new.entry"
  echo
  sed -n '/^## /,$p' spec/crate/CHANGELOG.md
} > spec/crate/CHANGELOG.md.new
mv spec/crate/CHANGELOG.md.new spec/crate/CHANGELOG.md

sed -i "0,/^version = \".*\"/s//version = \"$next\"/" generator/template/Cargo.toml

cat > spec/pin.toml <<PIN
# The upstream Authlete OpenAPI document this SDK is generated from. The document itself is not
# committed: \`make spec\` copies it from \$AUTHLETE_SPEC_MIRROR or ../shared/spec/ when present,
# else downloads \`url\`, and checks \`sha256\` either way.
version = "$version"
commit = "$commit"
url = "$url"
sha256 = "$sha"
PIN
cp "$new" "$old"

$codegen generate
echo "updated to $commit (sha256 $sha), crate version $next; see spec/crate/CHANGELOG.md"
