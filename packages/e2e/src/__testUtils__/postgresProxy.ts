import { createServer, Server, Socket, connect } from 'node:net';

/** One proxied client connection and the database it asked for. */
interface Link {
  client: Socket;
  server: Socket;
  /** From the startup message; undefined until it has arrived. */
  database?: string;
  /** Client bytes not forwarded yet: the startup message, or a stall. */
  held: Buffer[];
}

/** Protocol 3.0, the startup message's version field. */
const PROTOCOL_3 = 196608;

/**
 * A TCP proxy in front of PostgreSQL that a test can break the way real
 * outages do, without touching the server other tests share: `cut()` is
 * PostgreSQL going away (every connection dropped, new ones refused),
 * `restore()` is it coming back, and `stall(database)` is one database
 * answering nothing until `release()`. It reads only the plaintext startup
 * message, to learn each connection's database.
 */
export class PostgresProxy {
  private readonly links = new Set<Link>();
  private server?: Server;
  private stalled?: string;
  private listeningPort = 0;

  private constructor(
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: {
    host: string;
    port: number;
  }): Promise<PostgresProxy> {
    const proxy = new PostgresProxy(target);
    await proxy.listen(0);
    return proxy;
  }

  /** Where the replicas connect: `postgresql://...@127.0.0.1:<port>`. */
  get port(): number {
    return this.listeningPort;
  }

  /** PostgreSQL goes away: every connection drops, new ones are refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>(resolve =>
      server ? server.close(() => resolve()) : resolve(),
    );
    for (const link of this.links) this.drop(link);
    await closed;
  }

  /** PostgreSQL is back, on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.listen(this.listeningPort);
  }

  /**
   * Holds every query to `database` (open connections and new ones) until
   * `release()`: a downstream that has stopped answering.
   */
  stall(database: string): void {
    this.stalled = database;
  }

  release(): void {
    this.stalled = undefined;
    for (const link of this.links) this.flush(link);
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private listen(port: number): Promise<void> {
    const server = createServer(client => this.accept(client));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        if (typeof address === 'object' && address) {
          this.listeningPort = address.port;
        }
        this.server = server;
        resolve();
      });
    });
  }

  private accept(client: Socket) {
    const server = connect(this.target.port, this.target.host);
    const link: Link = { client, server, held: [] };
    this.links.add(link);
    let startup = Buffer.alloc(0);

    client.on('data', chunk => {
      if (link.database === undefined) {
        startup = Buffer.concat([startup, chunk]);
        const database = databaseIn(startup);
        if (database === undefined) {
          // Not whole yet (or a request PostgreSQL answers before startup).
          if (!awaitingStartup(startup)) {
            server.write(startup);
            startup = Buffer.alloc(0);
          }
          return;
        }
        link.database = database;
        link.held.push(startup);
        startup = Buffer.alloc(0);
      } else {
        link.held.push(chunk);
      }
      this.flush(link);
    });
    server.on('data', chunk => client.write(chunk));
    const end = () => this.drop(link);
    client.on('close', end);
    server.on('close', end);
    client.on('error', end);
    server.on('error', end);
  }

  private flush(link: Link) {
    if (link.database === undefined || link.database === this.stalled) return;
    for (const chunk of link.held.splice(0)) link.server.write(chunk);
  }

  private drop(link: Link) {
    this.links.delete(link);
    link.client.destroy();
    link.server.destroy();
  }
}

/**
 * The database named by a startup message at the start of `bytes`, once it
 * has arrived whole; undefined before, or when the message is another kind
 * (SSLRequest, GSSENCRequest, CancelRequest).
 */
function databaseIn(bytes: Buffer): string | undefined {
  if (bytes.length < 8) return undefined;
  const length = bytes.readInt32BE(0);
  if (bytes.readInt32BE(4) !== PROTOCOL_3 || bytes.length < length) {
    return undefined;
  }
  const fields = bytes
    .subarray(8, length - 1)
    .toString('utf8')
    .split('\0');
  const params = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    params.set(fields[i], fields[i + 1]);
  }
  return params.get('database') ?? params.get('user') ?? '';
}

/** Could more bytes still make `bytes` a startup message? */
function awaitingStartup(bytes: Buffer): boolean {
  if (bytes.length < 8) return true;
  return (
    bytes.readInt32BE(4) === PROTOCOL_3 && bytes.length < bytes.readInt32BE(0)
  );
}
