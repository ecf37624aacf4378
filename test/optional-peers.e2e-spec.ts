import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * GraphQL and socket.io support load only when used (CONTRACT §5): the package entry loads none of the optional
 * peers, nor does the `realtime` subpath (it reads their objects by shape). Checked on the built package (`npm run
 * build` first), in a fresh Node process that records every module it resolves.
 */
const ROOT = resolve(__dirname, '..');
const OPTIONAL_PEERS =
  /node_modules\/(graphql|graphql-ws|@nestjs\/graphql|@nestjs\/apollo|@nestjs\/mercurius|@nestjs\/websockets|@nestjs\/platform-socket\.io|socket\.io|engine\.io|mercurius|@apollo\/server|ws)\//;

async function modulesLoadedBy(entry: string): Promise<string[]> {
  const script = `
    const { registerHooks } = require('node:module');
    const seen = [];
    registerHooks({
      resolve(specifier, context, next) {
        const resolved = next(specifier, context);
        seen.push(resolved.url);
        return resolved;
      },
    });
    require(${JSON.stringify(entry)});
    process.stdout.write(JSON.stringify(seen));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: ROOT });
  return JSON.parse(stdout) as string[];
}

describe('optional peers', () => {
  it.each([
    ['the package entry', 'dist/auth/index.js'],
    ['the realtime subpath', 'dist/auth/features/realtime/index.js'],
  ])('%s loads no GraphQL or WebSocket package', async (_name, entry) => {
    const loaded = await modulesLoadedBy(resolve(ROOT, entry));

    expect(loaded.some((url) => url.includes('/@nestjs/common/'))).toBe(true);
    expect(loaded.filter((url) => OPTIONAL_PEERS.test(url))).toEqual([]);
  });
});
