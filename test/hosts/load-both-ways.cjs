// Run from a host's folder: the package must give the same exports to require() (a CommonJS host) and to
// import() (an ESM host), from plain node, with no bundler or test runner in between.
const assert = require('node:assert/strict');

const required = require('nest-session-auth');
import('nest-session-auth').then((imported) => {
  // Node adds `default` (and `module.exports`) to a CommonJS module's namespace, and shows TypeScript's
  // `__esModule` marker: interop names, not exports of the package.
  const interop = new Set(['default', 'module.exports', '__esModule']);
  const names = Object.keys(imported).filter((name) => !interop.has(name)).sort();
  assert.deepEqual(names, Object.keys(required).sort(), 'import() and require() give different export names');
  for (const name of names) assert.equal(imported[name], required[name], `${name} differs between import() and require()`);
  assert.ok(names.includes('AuthModule'), `AuthModule is not exported: ${names.join(', ')}`);
  console.log(`  ${names.length} exports, the same both ways`);
});
