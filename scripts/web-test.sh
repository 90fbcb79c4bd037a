#!/usr/bin/env bash
# Runs the browser tests of Tests/WebTests: a real headless Chromium, driven by Selenium, against
# real hub-server and replica-node processes on loopback ports with temporary databases.
# Installs Debian's chromium, chromium-driver, fonts-noto-core (Arabic and Tifinagh glyphs),
# python3-selenium and python3-pytest when missing; falls back to a virtualenv under .build-web/
# when Debian's Selenium cannot be used. Uses .build/debug/{hub-server,replica-node} (built when
# missing). Screenshots go to artifacts/screenshots/; DOCS_SCREENSHOTS=1 also refreshes
# Docs/screenshots/ with the ones the documentation shows.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium chromium-driver fonts-noto-core python3-selenium python3-pytest)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; else sudo=""; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=/usr/bin/python3
if ! "$python" -c 'import selenium, pytest; assert tuple(map(int, selenium.__version__.split(".")[:2])) >= (4, 6)' \
    2>/dev/null; then
    venv=.build-web/venv
    if [ ! -x "$venv/bin/python" ]; then
        "$python" -m venv "$venv"
        "$venv/bin/pip" install --quiet 'selenium>=4.6' pytest
    fi
    python="$venv/bin/python"
fi

for program in hub-server replica-node; do
    if [ ! -x ".build/debug/$program" ]; then swift build --product "$program"; fi
done

mkdir -p artifacts/screenshots
"$python" -m pytest -p no:cacheprovider -q Tests/WebTests "$@"

if [ "${DOCS_SCREENSHOTS:-0}" = "1" ]; then
    mkdir -p Docs/screenshots
    for name in hub-proposals-ar hub-proposal-conflict-ar hub-replicas-ar hub-charts-fr office-proposal-fr; do
        cp "artifacts/screenshots/$name.png" "Docs/screenshots/$name.png"
    done
    echo "Docs/screenshots/ refreshed"
fi
