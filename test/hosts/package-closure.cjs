// Run from an installed host's folder: prints, one a line, every package that nest-session-auth brings in by its
// own dependencies (not its peers, which the host installs), from the host's package-lock.json.
const lock = require(`${process.cwd()}/package-lock.json`).packages;

/** Where node would find `name` from the package at `from` (a lock key such as node_modules/a/node_modules/b). */
function locate(name, from) {
  for (let dir = from; ; dir = dir.slice(0, dir.lastIndexOf('/node_modules/'))) {
    if (lock[`${dir}/node_modules/${name}`]) return `${dir}/node_modules/${name}`;
    if (!dir.includes('/node_modules/')) return lock[`node_modules/${name}`] ? `node_modules/${name}` : undefined;
  }
}

const seen = new Set();
const queue = ['node_modules/nest-session-auth'];
while (queue.length > 0) {
  const key = queue.shift();
  const entry = lock[key];
  for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
    const found = locate(name, key);
    if (found && !seen.has(found)) {
      seen.add(found);
      queue.push(found);
    }
  }
}
console.log([...new Set([...seen].map((key) => key.slice(key.lastIndexOf('node_modules/') + 13)))].join('\n'));
