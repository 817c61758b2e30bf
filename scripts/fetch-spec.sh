#!/usr/bin/env bash
# Materializes the pinned Authlete OpenAPI document at spec/authlete-openapi.yaml (gitignored):
# from $AUTHLETE_SPEC_MIRROR or ../shared/spec/ when a file there has the pinned sha256, else by
# downloading the pinned URL. The checksum is verified either way.
set -euo pipefail
cd "$(dirname "$0")/.."

pin=spec/pin.toml
out=spec/authlete-openapi.yaml
field() { sed -n "s/^$1 *= *\"\(.*\)\"/\1/p" "$pin"; }
sha=$(field sha256)
url=$(field url)
[ -n "$sha" ] && [ -n "$url" ] || { echo "error: $pin needs url and sha256" >&2; exit 2; }

sum() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$out" ] && [ "$(sum "$out")" = "$sha" ]; then
  exit 0
fi

source=""
for dir in "${AUTHLETE_SPEC_MIRROR:-}" ../shared/spec; do
  [ -n "$dir" ] && [ -d "$dir" ] || continue
  for file in "$dir"/*.yaml "$dir"/*.yml "$dir"/*.json; do
    [ -f "$file" ] || continue
    if [ "$(sum "$file")" = "$sha" ]; then source=$file; break 2; fi
  done
done

tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT
if [ -n "$source" ]; then
  echo "spec: copying $source"
  cp "$source" "$tmp"
else
  echo "spec: no mirror holds sha256 $sha; downloading $url"
  curl -fsSL --retry 3 "$url" -o "$tmp" || { echo "error: cannot download $url" >&2; exit 2; }
fi
got=$(sum "$tmp")
if [ "$got" != "$sha" ]; then
  echo "error: checksum mismatch for the Authlete OpenAPI document" >&2
  echo "  expected (spec/pin.toml): $sha" >&2
  echo "  got:                      $got" >&2
  echo "  the source changed or the pin is wrong; see README.md, 'Updating the spec'" >&2
  exit 2
fi
mv "$tmp" "$out"
trap - EXIT
echo "spec: $out verified ($sha)"
