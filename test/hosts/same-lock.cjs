// Run from a host's folder after installing it: the install must have kept the committed lockfile's tree (what
// `npm ci` guarantees). Args: the committed lockfile, the one the install left. The tarball's integrity is left
// out: the tarball is packed anew on every run.
const { readFileSync } = require('node:fs');

function packages(file) {
  const all = JSON.parse(readFileSync(file, 'utf8')).packages;
  delete all['node_modules/nest-session-auth']?.integrity;
  return all;
}

const [committed, installed] = process.argv.slice(2).map(packages);
const changed = [...new Set([...Object.keys(committed), ...Object.keys(installed)])].filter(
  (key) => JSON.stringify(committed[key]) !== JSON.stringify(installed[key]),
);
if (changed.length > 0) {
  console.error(`  the install changed the locked tree at ${changed.slice(0, 10).join(', ')}${changed.length > 10 ? ', …' : ''}`);
  console.error('  refresh the lockfiles: npm run hosts:resolve -- --write');
  process.exit(1);
}
console.log('  the installed tree is the committed lockfile');
