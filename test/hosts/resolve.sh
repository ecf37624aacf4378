#!/usr/bin/env bash
# Re-creates every host of the matrix as a new user would today: from the host's sources with no lockfile, its
# own dependencies (what `nest new` gives, plus its dev tools) installed at their newest in range, then the
# README's install line for its Nest major, run as written (with the freshly packed tarball for nest-session-auth).
# Then the same checks as run.sh. It catches the next ecosystem move (a new major, a peer range, an install
# script) before a user does. With --write it copies each host's new package.json and package-lock.json back, to
# be committed: run.sh (npm test) installs exactly those.
#   npm run hosts:resolve [-- --write] [-- host ...]
set -uo pipefail
. "$(dirname "$0")/lib.sh"

write=0
selected=()
for arg in "$@"; do
  case "$arg" in
    --write) write=1 ;;
    *) selected+=("$arg") ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${host_names[@]}")

work="$(mktemp -d "${TMPDIR:-/tmp}/nest-auth-hosts.XXXXXX")"
export HOSTS_DATABASE_PREFIX="nest_auth_host_$$_"
trap 'rm -rf "$work"; drop_run_databases "$HOSTS_DATABASE_PREFIX"' EXIT
build_and_pack "$work" || exit 1

# Splits a host's package.json dependencies into "name@range" words, leaving out the README line's packages
# (installed by the line itself) and nest-session-auth; $2: dependencies or devDependencies.
own_dependencies() {
  node -e '
    const [file, field, line] = process.argv.slice(1);
    const readme = new Set(line.split(/\s+/).slice(2).map((word) => word.replace(/(.)@[^@]*$/, "$1")));
    const deps = require(file)[field] ?? {};
    console.log(Object.entries(deps).filter(([name]) => !readme.has(name)).map(([n, r]) => `${n}@${r}`).join(" "));
  ' "$1" "$2" "$3"
}

passed=0
failed=0
for name in "${selected[@]}"; do
  echo "== $name (resolved today, no lockfile)"
  line="$(readme_install_line "$(host_install_key "$name")")" || { failed=$((failed + 1)); continue; }
  copy_host "$name" "$work"
  dir="$work/$name"
  deps="$(own_dependencies "$dir/package.json" dependencies "$line")"
  dev="$(own_dependencies "$dir/package.json" devDependencies "$line")"
  node -e 'const f=process.argv[1];const p=require(f);p.dependencies={};p.devDependencies={};require("fs").writeFileSync(f,JSON.stringify(p,null,2)+"\n")' "$dir/package.json"
  rm -f "$dir/package-lock.json"
  read -ra readme_words <<<"$line"
  for i in "${!readme_words[@]}"; do
    [ "${readme_words[$i]}" = nest-session-auth ] && readme_words[$i]=../nest-session-auth.tgz
  done
  start=$(date +%s)
  (
    cd "$dir" &&
      npm install --no-audit --no-fund $deps &&
      npm install --no-audit --no-fund -D $dev &&
      echo "  ${line}" && "${readme_words[@]}" --no-audit --no-fund &&
      echo "  again from the new lockfile, as run.sh installs it" && rm -rf node_modules && install_locked
  ) >"$dir/install.log" 2>&1
  status=$?
  echo "  install: $(since "$start")"
  if [ $status -ne 0 ]; then
    cat "$dir/install.log"
    echo "$name: FAILED (install)"
    failed=$((failed + 1))
    continue
  fi
  start=$(date +%s)
  if (cd "$dir" && check_install_warnings install.log && check_tree); then
    # The tree is sound: that is what a lockfile records, so it is written even if the host's test then fails
    # (a failing behaviour of the module is reported below, not fixed by an older lock).
    if [ $write -eq 1 ]; then
      cp "$dir/package.json" "$dir/package-lock.json" "$hosts_dir/$name/"
      echo "  wrote test/hosts/$name/package.json and package-lock.json"
    fi
    if (cd "$dir" && run_host_test); then
      echo "$name: passed (checks $(since "$start"))"
      passed=$((passed + 1))
      continue
    fi
  fi
  echo "$name: FAILED (checks $(since "$start"))"
  failed=$((failed + 1))
done
echo "hosts: $passed passed, $failed failed"
[ $failed -eq 0 ]
