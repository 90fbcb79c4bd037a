#!/usr/bin/env bash
# Checks the formatting of every tracked Swift file against .swift-format.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$( { git ls-files '*.swift'; git ls-files -o --exclude-standard '*.swift'; } | sort -u)
[ -z "$files" ] && exit 0
printf '%s\n' $files | xargs swift format lint --strict --parallel
echo "swift format: $(printf '%s\n' $files | wc -l) files clean"
