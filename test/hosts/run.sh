#!/usr/bin/env bash
# The host matrix (part of `npm test`): the package as a user gets it, in three real apps of its own.
# It builds the package and packs it (`npm pack`, as published), then for each host under test/hosts/
#   nest12-esm  Nest 12, "type": "module", TypeScript nodenext, Vitest
#   nest12-cjs  Nest 12, CommonJS, Jest + ts-jest (its src/app.module.ts is the README's snippet, byte for byte)
#   nest11-cjs  Nest 11, CommonJS, Jest + ts-jest
#   nest12-realtime  Nest 12 with GraphQL and socket.io
#   nest12-own-stores  Nest 12 with stores of its own: none of the optional peers (TypeORM, ioredis, nodemailer) installed
# copies the host to a temporary folder with the tarball beside it, installs exactly its committed lockfile
# (install_locked in lib.sh says why not with `npm ci`), and checks: the host's dependencies are the README's
# install line; npm printed no install-script warning about a package that nest-session-auth brings in; `npm ls`
# (peers satisfied); `tsc` with skipLibCheck off (the package's .d.ts compile in a host); require() and import()
# give the same exports; the host's own test (the app on Express and on Fastify, on a PostgreSQL database of its
# own, no global pipe, over real HTTP).
# The lockfiles are refreshed by test/hosts/resolve.sh --write (npm run hosts:resolve -- --write).
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) or HOSTS_POSTGRES_URL. Args: host names, default all.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${host_names[@]}")

work="$(mktemp -d "${TMPDIR:-/tmp}/nest-auth-hosts.XXXXXX")"
export HOSTS_DATABASE_PREFIX="nest_auth_host_$$_"
trap 'rm -rf "$work"; drop_run_databases "$HOSTS_DATABASE_PREFIX"' EXIT
begin=$(date +%s)
build_and_pack "$work" || exit 1

passed=0
failed=0
for name in "${selected[@]}"; do
  echo "== $name"
  dir="$work/$name"
  start=$(date +%s)
  if ! check_snippet "$name" || ! check_readme_dependencies "$name"; then
    echo "$name: FAILED"
    failed=$((failed + 1))
    continue
  fi
  copy_host "$name" "$work"
  if ! (cd "$dir" && install_locked) >"$dir/install.log" 2>&1; then
    cat "$dir/install.log"
    echo "  the install failed: if the package's dependencies changed, refresh the lockfiles: npm run hosts:resolve -- --write"
    echo "$name: FAILED (install $(since "$start"))"
    failed=$((failed + 1))
    continue
  fi
  install_time="$(since "$start")"
  start=$(date +%s)
  if (cd "$dir" && check_install_warnings install.log && check_tree && run_host_test); then
    echo "$name: passed (install $install_time, checks $(since "$start"))"
    passed=$((passed + 1))
  else
    echo "$name: FAILED (install $install_time, checks $(since "$start"))"
    failed=$((failed + 1))
  fi
  # Each host's node_modules is a few hundred MB: freed now rather than all at the end.
  rm -rf "$dir"
done
echo "host matrix: $(since "$begin") in all"
echo "hosts: $passed passed, $failed failed"
[ $failed -eq 0 ]
