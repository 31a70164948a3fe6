import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  startGatewayTestBackend,
  waitForCatalog,
} from '@mcp-gateway/plugin-mcp-gateway-backend/testUtils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { pairsWorseOn, RoundFigure, sidesOfRounds } from './abbaRounds';
import { writeReport } from './auditOverheadReport';
import { DocsComparison, docsOverheadReport } from './docsOverheadReport';
import { percentile, summarize, timeSequential } from './latencyStats';

const AGENT = 'bench-docs';
const TOKEN = `bench-token-${AGENT}`;
/** Entities in examples/: the catalog has ingested them all at this count. */
const SAMPLE_ENTITIES = 68;
const PAYMENTS = 'component:default/payments-api';
const PAYMENTS_SITE = 'default/component/payments-api';
const DATABASE = {
  name: 'SQLite (better-sqlite3, in memory)',
  config: { client: 'better-sqlite3', connection: ':memory:' },
};
const REPORT = resolvePackagePath('bench', 'results/docs-overhead.md');
const WARM_UP_CALLS = 30;
/** Per side and scenario, before anything is measured (see runIn). */
const RUN_IN_CALLS = 100;

type StructuredAnswer = Record<string, any>;

/** One documentation call through the gateway, and the request it stands for. */
interface Scenario {
  title: string;
  tool: string;
  args: Record<string, unknown>;
  /** Throws unless the tool's answer is what the scenario claims to measure. */
  checkGateway(answer: StructuredAnswer): void;
  /** Path under the backend's base URL, already encoded. */
  directPath: string;
  /** A JSON body to POST instead of a GET. */
  directBody?: unknown;
  /** Throws unless the direct body is what the scenario claims to measure. */
  checkDirect(body: string): void;
  roundsPerSide: number;
  callsPerRound: number;
  /** How many catalog lookups as the caller the gateway makes per call. */
  catalogLookups: number;
  /** Time the very first call of each side apart (the page is converted once). */
  timeFirstCall?: boolean;
  /** What the answers held, from the last answers of each side. */
  note(gateway: StructuredAnswer, directBody: string): string;
  /** Not a gateway/direct pair: two parts of the gateway's work, timed alike. */
  reference?: boolean;
}

function expectThat(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`Not what the bench measures: ${what}`);
}

const staticPage = (page: string) =>
  `/api/techdocs/static/docs/${PAYMENTS_SITE}/${page}index.html`;

const SCENARIOS: Scenario[] = [
  {
    title: 'get_techdocs, a short page (runbook/)',
    tool: 'get_techdocs',
    args: { ref: PAYMENTS, path: 'runbook/' },
    checkGateway(answer) {
      expectThat(answer.path === 'runbook/', 'the runbook page');
      expectThat(
        answer.markdown.startsWith('# Runbook\n') &&
          answer.nextOffset === undefined,
        'the whole runbook as Markdown',
      );
    },
    directPath: staticPage('runbook/'),
    checkDirect(body) {
      expectThat(
        body.includes('Draining the settlement backlog'),
        'the runbook HTML',
      );
    },
    roundsPerSide: 10,
    callsPerRound: 20,
    catalogLookups: 2,
    note: (answer, body) =>
      `Answers: ${answer.totalChars.toLocaleString('en')} characters of Markdown through the gateway, ${body.length.toLocaleString('en')} characters of HTML direct.`,
  },
  {
    title: 'search_techdocs',
    tool: 'search_techdocs',
    args: { query: 'settlement backlog' },
    checkGateway(answer) {
      expectThat(
        answer.results[0]?.ref === PAYMENTS &&
          answer.results[0]?.path ===
            'runbook/#draining-the-settlement-backlog',
        'the runbook section first',
      );
    },
    directPath:
      '/api/search/query?term=settlement%20backlog&types%5B0%5D=techdocs&pageLimit=25',
    checkDirect(body) {
      const { results } = JSON.parse(body);
      expectThat(
        results[0]?.document?.location ===
          `/docs/${PAYMENTS_SITE}/runbook/#draining-the-settlement-backlog`,
        'the runbook section first',
      );
    },
    roundsPerSide: 10,
    callsPerRound: 20,
    catalogLookups: 1,
    note: (answer, body) =>
      `Answers: ${answer.results.length} results through the gateway (each entity checked in the catalog as the caller), ${JSON.parse(body).results.length} direct.`,
  },
  {
    title: 'get_techdocs, a long page (reference/error-codes/), warm',
    tool: 'get_techdocs',
    args: { ref: PAYMENTS, path: 'reference/error-codes/' },
    checkGateway(answer) {
      expectThat(
        answer.path === 'reference/error-codes/' &&
          answer.totalChars > 100_000 &&
          answer.markdown.startsWith('# Error codes') &&
          answer.nextOffset > 0,
        'the first part of the whole error-codes page',
      );
    },
    directPath: staticPage('reference/error-codes/'),
    checkDirect(body) {
      expectThat(
        body.includes('PAY-1001') && body.includes('PAY-1250'),
        'the whole error-codes HTML',
      );
    },
    roundsPerSide: 10,
    callsPerRound: 5,
    catalogLookups: 2,
    timeFirstCall: true,
    note: (answer, body) =>
      `Answers: the page is ${answer.totalChars.toLocaleString('en')} characters of Markdown, of which the gateway returns the first ${answer.markdown.length.toLocaleString('en')} (an agent reads on with nextOffset); direct returns all ${body.length.toLocaleString('en')} characters of HTML. Warm: the gateway has the converted page cached, but each call still fetches the whole HTML as the caller and hashes it to find it.`,
  },
  {
    title:
      'Reference points: the gateway with no downstream call, and one catalog lookup',
    tool: 'who_am_i',
    args: {},
    checkGateway(answer) {
      expectThat(answer.agent?.id === AGENT, 'the bench agent');
    },
    directPath: '/api/catalog/entities/by-refs',
    directBody: { entityRefs: [PAYMENTS] },
    checkDirect(body) {
      const { items } = JSON.parse(body);
      expectThat(
        items.length === 1 && items[0]?.metadata?.name === 'payments-api',
        'the payments-api entity',
      );
    },
    roundsPerSide: 5,
    callsPerRound: 20,
    catalogLookups: 0,
    reference: true,
    note: () =>
      "`who_am_i` calls nothing downstream: its latency is what every tool call pays for the MCP request, token verification, policy and the audit record. The catalog lookup stands for each request the gateway makes to the catalog as the caller (`get_techdocs` makes two, `search_techdocs` one per page of hits); the gateway sends it with a plugin token it mints on the caller's behalf, the bench with the static token.",
  },
];

/** A backend with TechDocs and search, and an MCP client connected as the agent. */
async function startDocsGateway() {
  const gateway = await startGatewayTestBackend({
    backend: { database: DATABASE.config },
    externalAccess: [
      { type: 'static', options: { token: TOKEN, subject: AGENT } },
    ],
    catalogFiles: [resolvePackagePath('bench', '../../examples/catalog.yaml')],
    techdocs: {
      publishDirectory: resolvePackagePath('bench', '../../examples/techdocs'),
    },
    mcpGateway: {
      agents: [
        {
          id: AGENT,
          principals: [{ service: AGENT }],
          tools: { allow: ['*'] },
        },
      ],
    },
  });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  try {
    await waitForCatalog(gateway, TOKEN, SAMPLE_ENTITIES);
    await gateway.indexSearch();
    await client.connect(
      new StreamableHTTPClientTransport(new URL(gateway.url), {
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
        // As in benchGateway: Node's fetch would keep a listener per request
        // on the one AbortSignal the SDK hands every request.
        fetch: (url, init) => fetch(url, { ...init, signal: undefined }),
      }),
    );
  } catch (error) {
    await gateway.backend.stop();
    throw error;
  }
  return {
    baseUrl: gateway.baseUrl,
    client,
    async stop() {
      await client.close();
      await gateway.backend.stop();
    },
  };
}

type DocsGateway = Awaited<ReturnType<typeof startDocsGateway>>;

/**
 * The scenario's two calls, each checking its answer (a failed or wrong
 * answer throws), and the last answers they got.
 */
function callsOf({ baseUrl, client }: DocsGateway, scenario: Scenario) {
  let lastAnswer: StructuredAnswer = {};
  let lastBody = '';
  const throughGateway = async () => {
    const result = await client.callTool({
      name: scenario.tool,
      arguments: scenario.args,
    });
    if (result.isError) {
      throw new Error(
        `${scenario.tool} answered an error: ${JSON.stringify(result)}`,
      );
    }
    lastAnswer = result.structuredContent as StructuredAnswer;
    scenario.checkGateway(lastAnswer);
  };
  const direct = async () => {
    const { directBody } = scenario;
    const response = await fetch(`${baseUrl}${scenario.directPath}`, {
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        ...(directBody !== undefined && { 'content-type': 'application/json' }),
      },
      ...(directBody !== undefined && {
        method: 'POST',
        body: JSON.stringify(directBody),
      }),
    });
    // The whole body, as the gateway reads it.
    const body = await response.text();
    if (response.status !== 200) {
      throw new Error(
        `GET ${scenario.directPath} answered ${response.status}: ${body}`,
      );
    }
    lastBody = body;
    scenario.checkDirect(body);
  };
  return {
    throughGateway,
    direct,
    note: () => scenario.note(lastAnswer, lastBody),
  };
}

/**
 * Calls of every scenario whose first call is not measured, before any is
 * measured: the process runs slower for a while after it starts (JIT, the
 * backend settling), which would weigh on the first scenario only.
 */
async function runIn(gateway: DocsGateway) {
  for (const scenario of SCENARIOS.filter(s => !s.timeFirstCall)) {
    const { throughGateway, direct } = callsOf(gateway, scenario);
    for (let i = 0; i < RUN_IN_CALLS; i++) {
      await throughGateway();
      await direct();
    }
  }
}

async function measure(
  gateway: DocsGateway,
  scenario: Scenario,
): Promise<DocsComparison> {
  const { throughGateway, direct, note } = callsOf(gateway, scenario);
  let first: DocsComparison['first'];
  if (scenario.timeFirstCall) {
    const [directFirst] = await timeSequential(1, direct);
    const [gatewayFirst] = await timeSequential(1, throughGateway);
    first = { gateway: gatewayFirst, direct: directFirst };
  }
  await timeSequential(WARM_UP_CALLS, throughGateway);
  await timeSequential(WARM_UP_CALLS, direct);

  const samples = { gateway: [] as number[], direct: [] as number[] };
  const medians: RoundFigure[] = [];
  for (const viaGateway of sidesOfRounds(scenario.roundsPerSide)) {
    const times = await timeSequential(
      scenario.callsPerRound,
      viaGateway ? throughGateway : direct,
    );
    samples[viaGateway ? 'gateway' : 'direct'].push(...times);
    medians.push({ on: viaGateway, value: percentile(times, 50) });
  }
  return {
    title: scenario.title,
    gatewayCall: `\`${scenario.tool}\` \`${JSON.stringify(scenario.args)}\``,
    directCall: `\`${
      scenario.directBody === undefined
        ? 'GET'
        : `POST ${JSON.stringify(scenario.directBody)}`
    } ${scenario.directPath}\``,
    gateway: summarize(samples.gateway),
    direct: summarize(samples.direct),
    slowerGateway: pairsWorseOn(medians, (g, d) => g > d),
    ...(first && { first }),
    note: note(),
    catalogLookups: scenario.catalogLookups,
    ...(scenario.reference && { reference: true }),
  };
}

const results: DocsComparison[] = [];

describe('gateway overhead of the documentation tools', () => {
  let gateway: DocsGateway;

  beforeAll(async () => {
    gateway = await startDocsGateway();
    await runIn(gateway);
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    if (results.length !== SCENARIOS.length) return;
    const markdown = docsOverheadReport(
      {
        date: new Date(),
        database: DATABASE.name,
        warmUpCalls: WARM_UP_CALLS,
        runInCalls: RUN_IN_CALLS,
        rounds: SCENARIOS.map(({ title, roundsPerSide, callsPerRound }) => ({
          title,
          roundsPerSide,
          callsPerRound,
        })),
      },
      results,
    );
    await writeReport(REPORT, markdown);
    process.stdout.write(`\n${markdown}\nWritten to ${REPORT}\n`);
  });

  // In order: the long page's first call is timed before anything converted it.
  it.each(SCENARIOS.map(scenario => [scenario.title, scenario] as const))(
    'through the gateway and direct: %s',
    async (_title, scenario) => {
      // Every call answered ok and as checked (a failed call throws).
      const result = await measure(gateway, scenario);
      const calls = scenario.roundsPerSide * scenario.callsPerRound;
      expect([result.gateway.calls, result.direct.calls]).toEqual([
        calls,
        calls,
      ]);
      results.push(result);
    },
    120_000,
  );
});
