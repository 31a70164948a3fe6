import { cpus, loadavg, totalmem } from 'node:os';
import { LatencySummary } from './latencyStats';
import { markdownTable, ms, overhead, ratio } from './reportFormat';

/** In how many gateway/direct pairs of rounds the gateway round was slower. */
export interface PairCount {
  worse: number;
  pairs: number;
}

/** One documentation call through the gateway against its direct peer. */
export interface DocsComparison {
  title: string;
  /** What the agent calls: the MCP tool and its arguments. */
  gatewayCall: string;
  /** What the peer calls: the Backstage request the gateway itself makes. */
  directCall: string;
  gateway: LatencySummary;
  direct: LatencySummary;
  /** Pairs whose gateway round had the higher p50. */
  slowerGateway: PairCount;
  /** The very first call of each, when it can be told apart (one sample each). */
  first?: { gateway: number; direct: number };
  /** What the answers held, for the reader to check the sizes compared. */
  note: string;
  /** How many catalog lookups as the caller the gateway makes per call. */
  catalogLookups: number;
  /** Not a gateway/direct pair: two parts of the gateway's work, timed alike. */
  reference?: boolean;
}

/** How the run was made, for the report's header. */
export interface DocsRunSettings {
  date: Date;
  database: string;
  warmUpCalls: number;
  /** Calls per side of every scenario but the long page, before any is measured. */
  runInCalls: number;
  /** Per scenario: rounds per side and calls per round. */
  rounds: Array<{
    title: string;
    roundsPerSide: number;
    callsPerRound: number;
  }>;
}

function referenceSection({
  title,
  gatewayCall,
  directCall,
  gateway,
  direct,
  note,
}: DocsComparison): string {
  const table = markdownTable(
    ['', 'p50 (ms)', 'p90 (ms)'],
    [
      [gatewayCall, ms(gateway.p50), ms(gateway.p90)],
      [directCall, ms(direct.p50), ms(direct.p90)],
    ],
  );
  return [
    `## ${title}`,
    '',
    `${note} Timed like the scenarios, ${gateway.calls} calls each, alternating; not a pair, so no ratio.`,
    '',
    table,
    '',
  ].join('\n');
}

function scenarioSection(
  index: number,
  {
    title,
    gatewayCall,
    directCall,
    gateway,
    direct,
    slowerGateway,
    first,
    note,
  }: DocsComparison,
): string {
  const table = markdownTable(
    ['', 'gateway', 'direct', 'overhead', 'gateway / direct'],
    [
      [
        'p50 (ms)',
        ms(gateway.p50),
        ms(direct.p50),
        overhead(gateway.p50, direct.p50),
        ratio(gateway.p50, direct.p50),
      ],
      [
        'p90 (ms)',
        ms(gateway.p90),
        ms(direct.p90),
        overhead(gateway.p90, direct.p90),
        ratio(gateway.p90, direct.p90),
      ],
    ],
  );
  return [
    `## ${index + 1}. ${title}`,
    '',
    `- Gateway: ${gatewayCall}`,
    `- Direct: ${directCall}`,
    `- ${note}`,
    `- ${gateway.calls} calls per side; the gateway round had the higher p50 in ${slowerGateway.worse}/${slowerGateway.pairs} pairs.`,
    ...(first
      ? [
          `- First call of the page, before the gateway had converted it (one sample each, not repeatable in one backend): gateway ${ms(first.gateway)} ms, direct ${ms(first.direct)} ms.`,
        ]
      : []),
    '',
    table,
    '',
  ].join('\n');
}

export function docsOverheadReport(
  settings: DocsRunSettings,
  results: DocsComparison[],
): string {
  const cpu = cpus();
  return [
    '# Gateway overhead of the documentation tools',
    '',
    `- Date: ${settings.date.toISOString()}`,
    `- Node: ${process.version} (${process.platform} ${process.arch})`,
    `- Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadavg()
      .map(load => load.toFixed(2))
      .join(
        ' ',
      )} at the end of the run. Client, gateway, TechDocs, search and catalog share one Node process.`,
    `- Database: ${settings.database}`,
    `- Method: one backend; first ${settings.runInCalls} calls per side of every scenario but the long page (whose first call is measured), alternating; then per scenario ${settings.warmUpCalls} warm-up calls per side, then rounds through the gateway and direct alternate in pairs (gateway direct, direct gateway, ...): ${settings.rounds
      .map(
        r =>
          `${r.title}: ${r.roundsPerSide} rounds per side of ${r.callsPerRound} sequential calls`,
      )
      .join('; ')}.`,
    '- "gateway": the MCP tool called through the official MCP SDK client, as the bench agent, with the gateway as shipped (durable audit store on). "direct": the Backstage request the gateway makes for that call, sent with the same caller\'s token. Overhead = gateway − direct, ratio = gateway / direct; "pairs": in how many pairs the gateway round was slower (about half means noise).',
    '',
    ...results
      .filter(result => !result.reference)
      .map((result, index) => scenarioSection(index, result)),
    ...results.filter(result => result.reference).map(referenceSection),
    overheadExplained(results),
  ].join('\n');
}

/**
 * What the gateway does that the direct request does not (see the plugin's
 * code), and how much of each scenario's p50 the reference points account for.
 */
function overheadExplained(results: DocsComparison[]): string {
  const reference = results.find(result => result.reference);
  const accounting = reference
    ? [
        'How much of the gateway p50 the reference points account for (`who_am_i` + catalog lookups + the direct request); the rest is work the bench does not time apart:',
        '',
        markdownTable(
          [
            'scenario',
            'gateway p50',
            '`who_am_i`',
            'catalog lookups',
            'direct',
            'rest',
          ],
          results
            .filter(result => !result.reference)
            .map(({ title, gateway, direct, catalogLookups }) => {
              const lookups = catalogLookups * reference.direct.p50;
              return [
                title,
                ms(gateway.p50),
                ms(reference.gateway.p50),
                `${catalogLookups} × ${ms(reference.direct.p50)}`,
                ms(direct.p50),
                ms(gateway.p50 - reference.gateway.p50 - lookups - direct.p50),
              ];
            }),
        ),
        '',
      ]
    : [];
  return [
    '## What the overhead is',
    '',
    "Every gateway call pays a fixed part, which `who_am_i` shows: the MCP JSON-RPC request over Streamable HTTP through the SDK client, verifying the caller's token and matching it to an agent, the agent's policy, and the audit record committed to the database before the answer. `get_techdocs` then asks the catalog twice as the caller (the entity is resolved, then checked visible within the agent's visibility) before it fetches the page from TechDocs on the caller's behalf, digests the whole HTML to find the converted Markdown (converting it on the first call: the first-call figure) and cuts the part it returns; `search_techdocs` adds one batched catalog lookup as the caller for the entities behind its hits, which drops what the agent may not see, and builds a snippet per hit. The rest is CPU work in the same process: a CPU profile of this bench shows mostly the plugin token the gateway mints for each downstream request (three per `get_techdocs` call, two per `search_techdocs` call) and its verification by the plugin called, the validation of each tool's input and output, and for `search_techdocs` the snippets (whitespace collapsed across each hit's whole text).",
    '',
    ...accounting,
  ].join('\n');
}
