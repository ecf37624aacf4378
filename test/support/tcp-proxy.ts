import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

/**
 * How the database looks while cut: `'refuse'` closes every new connection at once (a server that is down, or a
 * port with nothing behind it); `'blackhole'` accepts new connections and never answers (a network partition, a
 * firewall that drops packets, a host that froze).
 */
export type CutMode = 'refuse' | 'blackhole';

export interface TcpProxy {
  /** The port the proxy listens on, on 127.0.0.1. */
  readonly port: number;
  /** `url` (a `postgres://` URL) with its host and port replaced by the proxy's. */
  urlThrough(url: string): string;
  /**
   * Treats new connections as `mode` says until {@link restore}, and resets every open connection; or, with
   * `openConnections: 'hang'`, holds back what goes either way on them (a partition on a connection both ends still
   * believe open: only the client's own timeouts notice).
   */
  cut(mode: CutMode, options?: CutOptions): void;
  /**
   * Cuts as {@link cut} does the moment a chunk the app sends contains `marker` (e.g. the text of one SQL statement),
   * before that chunk reaches the server. Resolves once cut.
   */
  cutWhenSent(marker: string, mode: CutMode, options?: CutOptions): Promise<void>;
  /**
   * Forwards new connections again; connections held by a black hole are reset; hung connections deliver what was
   * held back (as TCP retransmits once a partition heals) and forward again.
   */
  restore(): void;
  /** Resets everything and stops listening. */
  close(): Promise<void>;
}

export interface CutOptions {
  /** What happens to connections open at the cut: reset (the default), or hang until {@link TcpProxy.restore}. */
  openConnections?: 'reset' | 'hang';
}

interface Trigger {
  marker: string;
  mode: CutMode;
  options?: CutOptions;
  fire: () => void;
}

/** One proxied connection; while `held` is set, chunks wait there instead of being forwarded. */
interface Pair {
  client: Socket;
  upstream: Socket;
  held?: { toUpstream: Buffer[]; toClient: Buffer[] };
}

/**
 * Closes `socket` with a reset (RST), as a server that died or a firewall does. Not a socket whose own end is closing
 * already (its peer ended, or it was ended): Node 20 cannot reset it while its shutdown is under way (libuv refuses
 * SO_LINGER then), reports EINVAL and leaves the handle open for ever, and the test process then spins at exit
 * instead of ending. Such a connection is on its way out: destroyed.
 */
function reset(socket: Socket): void {
  if (socket.writableEnded) socket.destroy();
  else socket.resetAndDestroy();
}

/**
 * A TCP proxy of the test's own between the app and a server (PostgreSQL), to make the server unreachable and
 * reachable again without touching the server itself, which other suites share.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: CutMode | 'open' = 'open';
  const pairs = new Set<Pair>();
  const blackholed = new Set<Socket>();
  let trigger: Trigger | undefined;
  // Connection errors are what the proxy is for; a reset that failed is the proxy's own bug (see `reset`): kept, so
  // that `close()` reports it instead of the test process hanging at exit with no word of why.
  const failedResets: string[] = [];

  const server = createServer((client) => {
    client.on('error', (error: NodeJS.ErrnoException) => {
      if (error.syscall === 'reset') failedResets.push(error.message);
    });
    if (mode === 'refuse') {
      reset(client);
      return;
    }
    if (mode === 'blackhole') {
      blackholed.add(client);
      client.on('close', () => blackholed.delete(client));
      return;
    }
    const upstream = connect(target.port, target.host);
    upstream.on('error', () => undefined);
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('data', (chunk: Buffer) => {
      if (trigger && chunk.includes(trigger.marker)) {
        const fired = trigger;
        trigger = undefined;
        cut(fired.mode, fired.options);
        fired.fire();
      }
      if (pair.held) pair.held.toUpstream.push(chunk);
      else if (!upstream.destroyed) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (pair.held) pair.held.toClient.push(chunk);
      else client.write(chunk);
    });
  });

  function cut(next: CutMode, options: CutOptions = {}): void {
    mode = next;
    for (const pair of [...pairs]) {
      if (options.openConnections === 'hang') {
        pair.held ??= { toUpstream: [], toClient: [] };
        continue;
      }
      // A reset, as from a server that died or a connection a firewall dropped; the server sees its end close and
      // rolls back whatever transaction was open on it.
      pairs.delete(pair);
      reset(pair.client);
      pair.upstream.destroy();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    urlThrough(url) {
      const through = new URL(url);
      through.hostname = '127.0.0.1';
      through.port = String(port);
      return through.toString();
    },
    cut,
    cutWhenSent(marker, cutMode, options) {
      return new Promise<void>((resolve) => {
        trigger = { marker, mode: cutMode, options, fire: resolve };
      });
    },
    restore() {
      mode = 'open';
      trigger = undefined;
      for (const socket of blackholed) reset(socket);
      blackholed.clear();
      for (const pair of pairs) {
        const { held: backlog } = pair;
        if (!backlog) continue;
        pair.held = undefined;
        for (const chunk of backlog.toUpstream) pair.upstream.write(chunk);
        for (const chunk of backlog.toClient) pair.client.write(chunk);
      }
    },
    async close() {
      cut('refuse');
      for (const socket of blackholed) reset(socket);
      blackholed.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (failedResets.length > 0) {
        throw new Error(
          `the TCP proxy failed to reset ${failedResets.length} connection(s) (${failedResets[0]}); ` +
            'their handles stay open and keep the test process from exiting',
        );
      }
    },
  };
}
