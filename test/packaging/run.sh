#!/usr/bin/env bash
# The packaging test: the tarball `npm pack` makes, installed into a fresh Nest 11 app of its own, compiled with
# tsc, booted on PostgreSQL; then a user registers, logs in and calls a guarded route (host/smoke.mjs).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/nest-auth-packaging.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cd "$root"
npm run build --silent >/dev/null
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
cp -r "$root/test/packaging/host/." "$work/"

cd "$work"
sed -i "s#__TARBALL__#file:./$tarball#" package.json
# The npm cache is warm after `npm ci`: only what it lacks is fetched from the registry.
npm install --no-audit --no-fund --prefer-offline --loglevel=error
npx tsc -p tsconfig.json
node smoke.mjs
