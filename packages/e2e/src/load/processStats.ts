import { readFileSync, readlinkSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times: 100 on Linux. */
const CLOCK_TICKS = 100;

/**
 * Fails unless the pid is the backend's own node process (with `watch:
 * false` nothing stands between), not a CLI or shell around it.
 */
export function assertBackendProcess(pid: number) {
  const exe = readlinkSync(`/proc/${pid}/exe`);
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  if (exe !== process.execPath || !args.includes('src/index.ts')) {
    throw new Error(
      `Process ${pid} is not the backend (${exe} ${args.join(' ')})`,
    );
  }
}

/** The process's resident set (VmRSS), in MiB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!kb) throw new Error(`No VmRSS in /proc/${pid}/status`);
  return Number(kb[1]) / 1024;
}

/** CPU time the process has used (user + system), in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; the fields after it do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
