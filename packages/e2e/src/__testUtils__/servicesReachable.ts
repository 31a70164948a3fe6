import { spawnSync } from 'node:child_process';

export interface ServiceAddress {
  name: string;
  host: string;
  port: number;
}

export const POSTGRES: ServiceAddress = {
  name: 'PostgreSQL',
  host: '127.0.0.1',
  port: 5432,
};
export const REDIS: ServiceAddress = {
  name: 'Redis',
  host: '127.0.0.1',
  port: 6379,
};

/**
 * The services that do not accept a TCP connection within a second. It
 * runs synchronously (in a child node), so a test file can decide at load
 * time whether to declare its suite or skip it.
 */
export function unreachableServices(services: ServiceAddress[]): string[] {
  const script = `
    const net = require('node:net');
    const targets = JSON.parse(process.argv[1]);
    Promise.all(targets.map(t => new Promise(resolve => {
      const socket = net.connect(t.port, t.host);
      const done = ok => { socket.destroy(); resolve(ok ? null : t.name); };
      socket.setTimeout(1000, () => done(false));
      socket.on('connect', () => done(true));
      socket.on('error', () => done(false));
    }))).then(names => console.log(JSON.stringify(names.filter(Boolean))));
  `;
  const result = spawnSync(
    process.execPath,
    ['-e', script, JSON.stringify(services)],
    { encoding: 'utf8', timeout: 5000 },
  );
  try {
    return JSON.parse(result.stdout.trim());
  } catch {
    return services.map(service => service.name);
  }
}
