import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LatencySummary } from './latencyStats';
import { markdownTable, ms, overhead, ratio } from './reportFormat';

/** In how many on/off pairs of rounds the "on" round was worse. */
export interface PairCount {
  worse: number;
  pairs: number;
}

/** One tool called one call at a time, with the durable store on and off. */
export interface SequentialComparison {
  tool: string;
  on: LatencySummary;
  off: LatencySummary;
  /** Pairs whose "on" round had the higher p50. */
  slowerOn: PairCount;
}

export interface LoadSummary extends LatencySummary {
  callsPerSecond: number;
}

/** Many calls in flight at once, with the durable store on and off. */
export interface LoadComparison {
  tool: string;
  inFlight: number;
  on: LoadSummary;
  off: LoadSummary;
  /** Pairs whose "on" round had the lower throughput. */
  slowerOn: PairCount;
}

export interface DatabaseResult {
  database: string;
  sequential: SequentialComparison[];
  load: LoadComparison;
}

/** How the run was made, for the report's header. */
export interface RunSettings {
  date: Date;
  warmUpCalls: number;
  roundsPerSide: number;
  callsPerRound: number;
  load: { calls: number; roundsPerSide: number };
  /** Databases not measured, and why. */
  skipped: string[];
}

const pairs = ({ worse, pairs: all }: PairCount) => `${worse}/${all}`;

export function databaseTables({
  database,
  sequential,
  load,
}: DatabaseResult): string {
  const sequentialTable = markdownTable(
    [
      'tool',
      'on p50',
      'on p90',
      'off p50',
      'off p90',
      'overhead p50',
      'overhead p90',
      'ratio p50',
      'ratio p90',
      'pairs slower on',
    ],
    sequential.map(({ tool, on, off, slowerOn }) => [
      `\`${tool}\``,
      ms(on.p50),
      ms(on.p90),
      ms(off.p50),
      ms(off.p90),
      overhead(on.p50, off.p50),
      overhead(on.p90, off.p90),
      ratio(on.p50, off.p50),
      ratio(on.p90, off.p90),
      pairs(slowerOn),
    ]),
  );
  const loadTable = markdownTable(
    ['', 'on', 'off', 'on / off'],
    [
      [
        'calls/s',
        load.on.callsPerSecond.toFixed(0),
        load.off.callsPerSecond.toFixed(0),
        ratio(load.on.callsPerSecond, load.off.callsPerSecond),
      ],
      [
        'p50 (ms)',
        ms(load.on.p50),
        ms(load.off.p50),
        ratio(load.on.p50, load.off.p50),
      ],
      [
        'p90 (ms)',
        ms(load.on.p90),
        ms(load.off.p90),
        ratio(load.on.p90, load.off.p90),
      ],
    ],
  );
  return [
    `### ${database}`,
    '',
    `Sequential calls, latency in ms (${sequential[0].on.calls} calls per side and tool):`,
    '',
    sequentialTable,
    '',
    `Concurrent load: \`${load.tool}\` with ${load.inFlight} calls in flight (${load.on.calls} calls per side); the on round had fewer calls/s in ${pairs(load.slowerOn)} pairs:`,
    '',
    loadTable,
    '',
  ].join('\n');
}

export function auditOverheadReport(
  settings: RunSettings,
  results: DatabaseResult[],
): string {
  return [
    '# Audit overhead per MCP tool call',
    '',
    `- Date: ${settings.date.toISOString()}`,
    `- Node: ${process.version} (${process.platform} ${process.arch})`,
    `- Databases: ${results.map(r => r.database).join(', ') || 'none'}`,
    ...settings.skipped.map(reason => `- Not measured: ${reason}`),
    `- Method: one backend per database; rounds with the durable audit store on and off alternate in pairs (on off, off on, ...): per tool ${settings.warmUpCalls} warm-up calls, then ${settings.roundsPerSide} rounds per side of ${settings.callsPerRound} sequential calls; load: ${settings.load.roundsPerSide} rounds per side of ${settings.load.calls} calls.`,
    '- "on": durable store and Backstage auditor (as shipped); "off": Backstage auditor only. Overhead = on − off, ratio = on / off; "pairs slower on": in how many on/off pairs the on round was slower (about half means noise).',
    '',
    ...results.map(databaseTables),
  ].join('\n');
}

export async function writeReport(path: string, markdown: string) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, markdown);
}
