#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian 12 machine, only when missing.
# Usage: scripts/install-deps.sh [build|test|demo]
set -euo pipefail
profile="${1:-build}"
# sqlite3, faketime and python3 are for the reliability tests (integrity checks, wrong clocks,
# the fault-injecting proxy of Tests/Tools); postgresql (15 on Debian 12) for the hub's PostgreSQL
# backend, whose tests run beside a private server (scripts/with-postgres.sh).
packages=(libsqlite3-dev libcurl4-openssl-dev zlib1g-dev sqlite3 faketime python3 curl openssl postgresql)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; else sudo=""; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v swift >/dev/null 2>&1; then
    echo "swift is not on PATH: install Swift 6.3 for Debian 12 (https://www.swift.org/install/linux/) and retry" >&2
    exit 1
fi
echo "dependencies for '$profile' are present"
