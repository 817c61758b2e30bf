#!/usr/bin/env bash
# Seeds of the fuzz targets: every fixture document (valid and invalid) for `document`, every
# fixture overlay plus the project's for `overlay`. Flat folders, as libFuzzer reads them.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf fuzz/seeds && mkdir -p fuzz/seeds/document fuzz/seeds/overlay fuzz/corpus/document fuzz/corpus/overlay
n=0
while IFS= read -r file; do
  n=$((n + 1))
  case "$file" in
    *overlay*) cp "$file" "fuzz/seeds/overlay/$n-$(basename "$file")" ;;
    *) cp "$file" "fuzz/seeds/document/$n-$(basename "$file")" ;;
  esac
done < <(find tests/fixtures spec/overlay.yaml -type f \( -name '*.yaml' -o -name '*.json' \) | sort)
echo "fuzz seeds: $(ls fuzz/seeds/document | wc -l) documents, $(ls fuzz/seeds/overlay | wc -l) overlays"
