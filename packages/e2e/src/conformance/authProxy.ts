import {
  createServer,
  IncomingMessage,
  request as httpRequest,
  Server,
} from 'node:http';
import { AddressInfo } from 'node:net';

export interface AuthProxy {
  /** The proxy's own origin, e.g. http://localhost:40123. */
  origin: string;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy that adds `Authorization: Bearer <token>` to every
 * request, because the conformance suite cannot send headers. Everything
 * else (Host and Origin included, so the suite's DNS-rebinding probes reach
 * the gateway as sent) passes through untouched, both ways.
 */
export async function startAuthProxy(options: {
  target: string;
  token: string;
  port: number;
}): Promise<AuthProxy> {
  const target = new URL(options.target);
  const server: Server = createServer(
    (incoming: IncomingMessage, outgoing) => {
      const upstream = httpRequest(
        {
          hostname: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: {
            ...incoming.headers,
            authorization: `Bearer ${options.token}`,
          },
        },
        answer => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      upstream.on('error', error => {
        if (!outgoing.headersSent) {
          outgoing.writeHead(502, { 'content-type': 'text/plain' });
        }
        outgoing.end(`The gateway could not be reached: ${error.message}`);
      });
      // A client that goes away cancels the gateway's stream too.
      outgoing.on('close', () => upstream.destroy());
      incoming.pipe(upstream);
    },
  );
  await new Promise<void>(resolve =>
    server.listen(options.port, '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
