import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// semver ships no types of its own here; only `satisfies` is needed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver = require('semver') as { satisfies(version: string, range: string): boolean };

interface Manifest {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const root = join(__dirname, '../..');
const manifestOf = (path: string): Manifest =>
  JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as Manifest;
const own = manifestOf(root);
const range = own.engines?.node ?? '';

/** The oldest Node of each line that loads Nest 12's ESM-only packages from CommonJS (unflagged `require(esm)`). */
const LOWEST = ['20.19.0', '22.12.0'];

describe("the package's engines", () => {
  it('admits every Node with require(esm) unflagged, the oldest of each line included', () => {
    for (const version of [...LOWEST, '23.0.0', '24.0.0', '26.0.0']) {
      expect({ version, admitted: semver.satisfies(version, range) }).toEqual({
        version,
        admitted: true,
      });
    }
  });

  it('refuses the Nodes that cannot load Nest 12 from CommonJS', () => {
    for (const version of ['18.20.0', '20.18.3', '21.7.3', '22.11.0']) {
      expect({ version, admitted: semver.satisfies(version, range) }).toEqual({
        version,
        admitted: false,
      });
    }
  });

  // Optional peers bind only the hosts that install them, at their own versions (typeorm 1.x asks 22.13+ on line 22,
  // 0.3 does not).
  it('asks no more than the runtime dependencies and required peers installed here ask', () => {
    const names = [
      ...Object.keys(own.dependencies ?? {}),
      ...Object.keys(own.peerDependencies ?? {}).filter(
        (name) => own.peerDependenciesMeta?.[name]?.optional !== true,
      ),
    ];
    for (const name of names) {
      const node = manifestOf(join(root, 'node_modules', name)).engines?.node;
      if (node === undefined) continue;
      for (const version of LOWEST) {
        expect({ name, version, admitted: semver.satisfies(version, node) }).toEqual({
          name,
          version,
          admitted: true,
        });
      }
    }
  });
});
