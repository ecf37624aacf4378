# Shared by run.sh and resolve.sh (sourced, not run): where things are, the README's install lines, building the
# tarball, laying a host out in a temporary folder, and the checks every host must pass once installed.

hosts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$hosts_dir/../.." && pwd)"
# Every host folder: nest<major>-<flavour>, with its package.json.
host_names=(nest12-esm nest12-cjs nest11-cjs nest12-realtime nest12-own-stores)

# The README's install line for a Nest major, read from the marked block of "Use it in your Nest app", so that what
# the matrix installs and what the README tells a user to run cannot drift.
readme_install_line() {
  local major="$1" line
  line="$(awk '/<!-- host-matrix:install -->/,/<!-- \/host-matrix:install -->/' "$repo_root/README.md" |
    grep -A1 -x "# Nest $major" | grep '^npm install ' || true)"
  if [ -z "$line" ]; then
    echo "README.md has no install line for Nest $major in its <!-- host-matrix:install --> block" >&2
    return 1
  fi
  echo "$line"
}

# nest12-esm -> 12
host_major() { [[ "$1" =~ ^nest([0-9]+)- ]] && echo "${BASH_REMATCH[1]}"; }

# Which README install line a host follows: its Nest major ("12"), or "12, own stores" for the host that installs
# none of the optional peers (the line under "# Nest 12, own stores").
host_install_key() {
  local major
  major="$(host_major "$1")"
  if [[ "$1" == *-own-stores ]]; then echo "$major, own stores"; else echo "$major"; fi
}

# Builds the package and packs it as $1/nest-session-auth.tgz, where every host's package.json points.
build_and_pack() {
  local work="$1" name
  (cd "$repo_root" && npx nest build >/dev/null) || { echo "nest build failed" >&2; return 1; }
  name="$(cd "$repo_root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
  mv "$work/$name" "$work/nest-session-auth.tgz"
}

# Copies host $1's sources (not its node_modules) to $2/$1, with the shared test helpers as its test/support/.
copy_host() {
  local name="$1" work="$2"
  mkdir -p "$work/$name"
  (cd "$hosts_dir/$name" && tar --exclude=./node_modules --exclude=./dist --exclude=./test/support -cf - .) |
    (cd "$work/$name" && tar -xf -)
  mkdir -p "$work/$name/test/support"
  # A host that lists the shared helpers it uses (shared-files) gets only those: the host without PostgreSQL takes
  # no database helper.
  if [ -f "$hosts_dir/$name/shared-files" ]; then
    while read -r file; do cp "$hosts_dir/shared/$file" "$work/$name/test/support/"; done <"$hosts_dir/$name/shared-files"
  else
    cp "$hosts_dir/shared/"*.ts "$work/$name/test/support/"
  fi
  cp "$hosts_dir/load-both-ways.cjs" "$hosts_dir/package-closure.cjs" "$hosts_dir/same-lock.cjs" "$work/$name/"
}

# Fails when npm's install log ($1, of the host in cwd) warns about the install scripts of a package that
# nest-session-auth brings in (its dependencies and theirs, not its peers): a user installing the package must not
# be asked to allow a script for it (@node-rs/bcrypt was chosen for having none). npm prints such a package as
# `npm warn install-scripts   name@version (postinstall: ...)`.
check_install_warnings() {
  local log="$1" flagged ours found=0 name
  flagged="$(sed -n 's/^npm warn install-scripts \{2,\}\(@\{0,1\}[^@ ]*\)@[^ ]* (.*/\1/p' "$log" | sort -u)"
  [ -n "$flagged" ] || return 0
  ours="$(node package-closure.cjs)" || return 1
  for name in $flagged; do
    if grep -qx -- "$name" <<<"$ours"; then
      echo "  npm asks to allow the install scripts of $name, which nest-session-auth brings in:" >&2
      grep -F "install-scripts   $name@" "$log" >&2
      found=1
    else
      echo "  (npm warns about the install scripts of $name: not one of nest-session-auth's, ignored)"
    fi
  done
  return "$found"
}

# The checks of an installed host's tree (cwd): a valid tree (peers satisfied), its sources compile against the
# package's .d.ts with skipLibCheck off, and the package loads the same by require() and by import().
check_tree() {
  echo "  npm ls" && npm ls >/dev/null &&
    echo "  tsc (skipLibCheck: false)" && npx tsc -p tsconfig.json --noEmit &&
    echo "  require() and import() give the same exports" && node load-both-ways.cjs
}

# The host's own test (cwd): the app on Express and on Fastify, over HTTP, on PostgreSQL.
run_host_test() {
  echo "  npm test" && npm test
}

# Drops the databases left under this run's prefix (a test process that died before its afterAll).
drop_run_databases() {
  local prefix="$1" admin="${HOSTS_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}" db
  command -v psql >/dev/null || return 0
  for db in $(psql "$admin" -Atc "select datname from pg_database where datname like '${prefix}%'" 2>/dev/null); do
    psql "$admin" -qc "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  done
}

# Seconds since $1 (from `date +%s`).
since() { echo "$(($(date +%s) - $1))s"; }

# The Nest 12 CommonJS host's src/app.module.ts must be the README's snippet, byte for byte: the README's example
# is then compiled and run by every `npm test`. Other hosts: nothing to check.
check_snippet() {
  [ "$1" = nest12-cjs ] || return 0
  local snippet
  snippet="$(awk '/^## Use it in your Nest app/{on=1} on&&/^```ts$/{grab=1;next} grab&&/^```$/{exit} grab' "$repo_root/README.md")"
  if [ "$snippet" != "$(cat "$hosts_dir/nest12-cjs/src/app.module.ts")" ]; then
    echo "  README.md's \"Use it in your Nest app\" snippet differs from test/hosts/nest12-cjs/src/app.module.ts:" >&2
    diff <(echo "$snippet") "$hosts_dir/nest12-cjs/src/app.module.ts" >&2
    echo "  make them the same (the host runs the snippet), then run npm run test:hosts" >&2
    return 1
  fi
  echo "  src/app.module.ts is the README's snippet"
}

# Every package of the README's install line for the host's Nest major is a dependency of the host, pinned to
# that major where the line pins one: the committed lockfile is then what the README's line installs.
check_readme_dependencies() {
  local name="$1" line
  line="$(readme_install_line "$(host_install_key "$name")")" || return 1
  node -e '
    const [file, line] = process.argv.slice(1);
    const deps = require(file).dependencies ?? {};
    const wrong = [];
    for (const word of line.split(/\s+/).slice(2)) {
      const [, pkg, major] = /^(@?[^@]+)(?:@(\d+))?$/.exec(word);
      const range = deps[pkg];
      if (range === undefined) wrong.push(`${pkg} is not a dependency`);
      else if (major && !range.replace(/^[\^~]/, "").startsWith(`${major}.`)) wrong.push(`${pkg} is ${range}, not @${major}`);
    }
    if (wrong.length) {
      console.error(`  ${file} does not match the README line "${line}": ${wrong.join("; ")}.`);
      console.error("  Refresh it: npm run hosts:resolve -- --write");
      process.exit(1);
    }
    console.log("  its dependencies are the README install line");
  ' "$hosts_dir/$name/package.json" "$line"
}

# Installs the host in cwd from its committed lockfile, exactly, as `npm ci` would. Not `npm ci` itself: the
# registry reachable here serves no build of @node-rs/bcrypt (the package's dependency) for other platforms than
# this one, so npm cannot record those optional packages in a lockfile, and `npm ci` then refuses every lockfile
# made here ("Missing: @node-rs/bcrypt-android-arm64@ from lock file"). `npm install` skips what it cannot fetch
# of an optional dependency; same-lock.cjs then fails the run if it changed anything else than the tarball's
# integrity (the tarball is packed anew on every run).
install_locked() {
  forget_tarball_integrity package-lock.json &&
    cp package-lock.json package-lock.committed.json &&
    npm install --prefer-offline --no-audit --no-fund &&
    node same-lock.cjs package-lock.committed.json package-lock.json
}

# The tarball is packed anew on every run, so its integrity differs from the one locked: forget it in the copy.
forget_tarball_integrity() {
  node -e '
    const fs = require("fs");
    const file = process.argv[1];
    const lock = JSON.parse(fs.readFileSync(file, "utf8"));
    const entry = lock.packages?.["node_modules/nest-session-auth"];
    if (!entry) { console.error(`${file} does not lock nest-session-auth`); process.exit(1); }
    delete entry.integrity;
    fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
  ' "$1"
}
