import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { pairsWorseOn, RoundFigure, sidesOfRounds } from './abbaRounds';
import {
  auditOverheadReport,
  DatabaseResult,
  LoadComparison,
  SequentialComparison,
  writeReport,
} from './auditOverheadReport';
import { BenchDatabase, benchDatabases } from './benchDatabases';
import { BenchGateway, startBenchGateway } from './benchGateway';
import { durableAudit } from './durableAuditSwitch';
import {
  percentile,
  summarize,
  timeConcurrent,
  timeSequential,
} from './latencyStats';

// The plugin's durable sink, made switchable (see durableAuditSwitch).
jest.mock(
  jest.requireActual('./durableAuditSwitch').DATABASE_AUDIT_SINK_MODULE,
  () => {
    const { DATABASE_AUDIT_SINK_MODULE, switchableDurableAudit } =
      jest.requireActual('./durableAuditSwitch');
    return switchableDurableAudit(
      jest.requireActual(DATABASE_AUDIT_SINK_MODULE),
    );
  },
);

const TOOLS: Array<{ tool: string; args: Record<string, unknown> }> = [
  // No downstream call: the audit's share of the call is largest.
  { tool: 'who_am_i', args: {} },
  { tool: 'get_entity', args: { ref: 'component:default/payments-api' } },
  { tool: 'search_catalog', args: { term: 'pay' } },
];
const SETTINGS = {
  warmUpCalls: 40,
  roundsPerSide: 10,
  callsPerRound: 40,
  load: { tool: 'who_am_i', inFlight: 50, calls: 150, roundsPerSide: 6 },
};
const REPORT = resolvePackagePath('bench', 'results/audit-overhead.md');

/** A round that left the wrong number of durable audit rows. */
interface RowMismatch {
  round: string;
  on: boolean;
  expected: number;
  written: number;
}

/**
 * Runs rounds with the store on or off, and notes every round whose calls
 * did not write exactly one durable row each when on, and none when off:
 * the proof that the switch, and so the comparison, is real.
 */
function roundsOn(gateway: BenchGateway) {
  const mismatches: RowMismatch[] = [];
  async function round<T>(
    name: string,
    on: boolean,
    calls: number,
    run: () => Promise<T>,
  ): Promise<T> {
    const before = await gateway.durableRows();
    durableAudit.on = on;
    try {
      return await run();
    } finally {
      durableAudit.on = true;
      const written = (await gateway.durableRows()) - before;
      const expected = on ? calls : 0;
      if (written !== expected) {
        mismatches.push({ round: name, on, expected, written });
      }
    }
  }
  return { round, mismatches };
}

type Round = ReturnType<typeof roundsOn>['round'];

/** One tool called one call at a time: its latency with the store on and off. */
async function measureSequential(
  gateway: BenchGateway,
  round: Round,
  { tool, args }: (typeof TOOLS)[number],
): Promise<SequentialComparison> {
  const { warmUpCalls, roundsPerSide, callsPerRound } = SETTINGS;
  const call = () => gateway.call(tool, args);
  for (const on of [true, false]) {
    await round(`${tool} warm-up`, on, warmUpCalls / 2, () =>
      timeSequential(warmUpCalls / 2, call),
    );
  }
  const samples = { on: [] as number[], off: [] as number[] };
  const medians: RoundFigure[] = [];
  for (const on of sidesOfRounds(roundsPerSide)) {
    const times = await round(tool, on, callsPerRound, () =>
      timeSequential(callsPerRound, call),
    );
    samples[on ? 'on' : 'off'].push(...times);
    medians.push({ on, value: percentile(times, 50) });
  }
  return {
    tool,
    on: summarize(samples.on),
    off: summarize(samples.off),
    slowerOn: pairsWorseOn(medians, (on, off) => on > off),
  };
}

/** Many calls in flight at once: throughput and latency with the store on and off. */
async function measureLoad(
  gateway: BenchGateway,
  round: Round,
): Promise<LoadComparison> {
  const { tool, inFlight, calls, roundsPerSide } = SETTINGS.load;
  const run = () =>
    timeConcurrent(calls, inFlight, () => gateway.call(tool, {}));
  // Opens the client's connections before anything is timed.
  await round(`${tool} load warm-up`, true, calls, run);
  const sides = {
    on: { samples: [] as number[], wallMs: 0 },
    off: { samples: [] as number[], wallMs: 0 },
  };
  const throughputs: RoundFigure[] = [];
  for (const on of sidesOfRounds(roundsPerSide)) {
    const { samples, wallMs } = await round(`${tool} load`, on, calls, run);
    const side = sides[on ? 'on' : 'off'];
    side.samples.push(...samples);
    side.wallMs += wallMs;
    throughputs.push({ on, value: calls / wallMs });
  }
  const summaryOf = ({ samples, wallMs }: typeof sides.on) => ({
    ...summarize(samples),
    callsPerSecond: samples.length / (wallMs / 1000),
  });
  return {
    tool,
    inFlight,
    on: summaryOf(sides.on),
    off: summaryOf(sides.off),
    slowerOn: pairsWorseOn(throughputs, (on, off) => on < off),
  };
}

/** Everything measured on one fresh backend, whose databases are dropped after. */
async function benchOn(database: BenchDatabase) {
  const { backend, drop } = await database.create();
  try {
    const gateway = await startBenchGateway(backend);
    try {
      const { round, mismatches } = roundsOn(gateway);
      const sequential: SequentialComparison[] = [];
      for (const tool of TOOLS) {
        sequential.push(await measureSequential(gateway, round, tool));
      }
      const load = await measureLoad(gateway, round);
      const result: DatabaseResult = {
        database: database.name,
        sequential,
        load,
      };
      return { result, mismatches };
    } finally {
      await gateway.stop();
    }
  } finally {
    await drop();
  }
}

const { databases, skipped } = benchDatabases();
const results: DatabaseResult[] = [];

describe('audit overhead per MCP tool call', () => {
  afterAll(async () => {
    const markdown = auditOverheadReport(
      { date: new Date(), ...SETTINGS, skipped },
      results,
    );
    await writeReport(REPORT, markdown);
    process.stdout.write(`\n${markdown}\nWritten to ${REPORT}\n`);
  });

  it.each(databases.map(database => [database.name, database] as const))(
    'with the durable store on and off, on %s',
    async (_name, database) => {
      const { result, mismatches } = await benchOn(database);
      results.push(result);
      // Every call answered ok (gateway.call throws otherwise), and the
      // store wrote a row per call in "on" rounds and none in "off" rounds.
      expect(mismatches).toEqual([]);
    },
    120_000,
  );
});
