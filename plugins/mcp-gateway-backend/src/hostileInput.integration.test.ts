import fc from 'fast-check';
import {
  startTestGateway,
  TestGateway,
  tokenFor,
  waitForCatalog,
} from './__testUtils__/testGateway';
import {
  CANARIES,
  REDACTED_FIELDS,
  redactedValues,
} from './__testUtils__/hostile/canaries';
import {
  GeneratedFamily,
  generatedFamilies,
} from './__testUtils__/hostile/generatedCases';
import {
  HOSTILE,
  HostileCase,
  NARROW,
  STRANGER,
} from './__testUtils__/hostile/hostileCase';
import { leakProbeCases } from './__testUtils__/hostile/leakProbeCases';
import { protocolCases } from './__testUtils__/hostile/protocolCases';
import { CaseRunner } from './__testUtils__/hostile/runner';
import { fuzzSeed } from './__testUtils__/hostile/seed';
import { Surface, surfaceOf } from './__testUtils__/hostile/surface';
import { specificCases } from './__testUtils__/hostile/specificCases';
import { surfaceCases } from './__testUtils__/hostile/surfaceCases';

/**
 * Hostile input against a real backend (catalog, scaffolder, TechDocs,
 * search): hand-written cases for the protocol and for every tool, resource
 * template and prompt the gateway lists, and property-based ones. Every
 * answer must be a clear refusal, audited, with no 5xx, stack trace or
 * redacted value (see invariants.ts). MCP_GATEWAY_FUZZ_SEED=<n> replays a
 * generated run, MCP_GATEWAY_FUZZ_SEED=random explores a new one.
 *
 * No listener of its own for unhandled rejections or uncaught exceptions:
 * Jest's runner replaces the process's listeners with its own, which fail
 * the test (or hook) running when one happens, and a test's `process.on`
 * reaches only the sandbox's copy of `process`.
 */
const SEED = fuzzSeed();
const write = (line: string) =>
  process.stdout.write(`hostile input: ${line}\n`);

describe('hostile input', () => {
  let gateway: TestGateway;
  let runner: CaseRunner;
  let surface: Surface;
  let narrow: Surface;
  let redacted: string[];
  let handwritten: Record<'protocol' | 'leaks' | 'surface', HostileCase[]>;
  let families: GeneratedFamily[];

  beforeAll(async () => {
    gateway = await startTestGateway({
      docs: true,
      subjects: [HOSTILE.subject, NARROW.subject, STRANGER],
      fixtures: ['probes.yaml', 'hostileCanary.yaml'],
      agents: [
        {
          id: HOSTILE.agentId,
          principals: [{ service: HOSTILE.subject }],
          readOnly: false,
          tools: { allow: ['*'] },
          resources: { allow: ['*'] },
          templates: { allow: ['template:*/*'] },
          // Every http(s) URL passes the allowlist: the SSRF guard must hold.
          locations: { allow: ['http://**', 'https://**'] },
          redact: REDACTED_FIELDS,
        },
        {
          id: NARROW.agentId,
          principals: [{ service: NARROW.subject }],
          tools: { allow: ['who_am_i'] },
          redact: REDACTED_FIELDS,
        },
      ],
    });
    await waitForCatalog(gateway, tokenFor(HOSTILE.subject), 73);
    // Searches need an index, as in any running Backstage.
    await gateway.indexSearch();
    redacted = await redactedValues(gateway.baseUrl, tokenFor(HOSTILE.subject));
    surface = await surfaceOf(gateway, HOSTILE.subject);
    narrow = await surfaceOf(gateway, NARROW.subject);
    runner = new CaseRunner(gateway, {
      canaries: CANARIES,
      agentOf: {
        [HOSTILE.subject]: HOSTILE.agentId,
        [NARROW.subject]: NARROW.agentId,
      },
    });
    handwritten = {
      protocol: protocolCases(),
      leaks: leakProbeCases(),
      surface: [...surfaceCases(surface, narrow), ...specificCases(surface)],
    };
    families = generatedFamilies(surface);
    write(`fast-check seed ${SEED} (MCP_GATEWAY_FUZZ_SEED=${SEED} replays it)`);
  }, 120_000);

  afterAll(async () => {
    if (runner) {
      write(
        `${runner.counts.handwritten} hand-written and ${runner.counts.generated} generated cases (seed ${SEED})`,
      );
    }
    await gateway?.stop();
  });

  /** fast-check's report (seed, path, shrunk case) if the family fails. */
  const failureOf = async (family: GeneratedFamily) => {
    const property = fc.asyncProperty(family.arbitrary, async kase => {
      const violations = await runner.run(kase, 'generated');
      if (violations.length) throw new Error(violations.join('\n'));
    });
    try {
      await fc.assert(property, { seed: SEED, numRuns: family.numRuns });
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };

  const runAll = async (cases: HostileCase[]) => {
    const violations: string[] = [];
    for (const kase of cases) {
      violations.push(...(await runner.run(kase, 'handwritten')));
    }
    return violations;
  };

  it('guards something real: every kind of operation, and values that are redacted', async () => {
    const tools = surface.tools.map(t => t.name);
    // Allowed everything, writes included, so that every tool is attacked.
    expect(tools).toEqual(
      expect.arrayContaining(['who_am_i', 'refresh_entity', 'run_template']),
    );
    expect(surface.resourceTemplates.length).toBeGreaterThan(0);
    expect(surface.prompts.length).toBeGreaterThan(0);
    expect(surface.templates.length).toBeGreaterThan(0);
    expect(narrow.tools.map(t => t.name)).toEqual(['who_am_i']);
    // The canaries are in the catalog, where the agents read them redacted.
    expect(redacted).toEqual(expect.arrayContaining(CANARIES));
    const canary = await gateway.call(HOSTILE.subject, 'get_entity', {
      ref: 'user:default/hostile-canary',
      fields: ['spec.profile.email', 'metadata.annotations'],
    });
    expect(canary.data.fields).toMatchObject({
      'spec.profile.email': '[redacted]',
      'metadata.annotations': {
        'vault.example.com/token-path': '[redacted]',
      },
    });
    const cases =
      Object.values(handwritten).flat().length +
      families.reduce((sum, family) => sum + family.numRuns, 0);
    expect(cases).toBeGreaterThanOrEqual(100);
  });

  it('refuses every protocol-level case clearly, audited', async () => {
    expect(await runAll(handwritten.protocol)).toEqual([]);
  }, 120_000);

  it('shows no canary through any read the agent may make', async () => {
    expect(await runAll(handwritten.leaks)).toEqual([]);
  });

  it('refuses every case derived from the tools, resources and prompts clearly, audited', async () => {
    expect(await runAll(handwritten.surface)).toEqual([]);
  }, 180_000);

  it('holds for generated cases', async () => {
    const failures: string[] = [];
    // Every family runs, so one failing does not hide another.
    for (const family of families) {
      const failure = await failureOf(family);
      if (failure) failures.push(`${family.name}: ${failure}`);
    }
    expect(failures).toEqual([]);
  }, 180_000);

  // Last, after every hostile case.
  it('stays healthy: normal calls work, no error logged, nothing polluted', async () => {
    const me = await gateway.call(HOSTILE.subject, 'who_am_i');
    expect(me.isError).toBe(false);
    expect(me.data.agent.id).toBe(HOSTILE.agentId);
    const entity = await gateway.call(HOSTILE.subject, 'get_entity', {
      ref: 'payments-api',
    });
    expect(entity.isError).toBe(false);
    expect(entity.data.entity.ref).toBe('component:default/payments-api');

    expect(
      gateway.logs
        .filter(l => l.level === 'error' && l.fields.plugin === 'mcp-gateway')
        .map(l => l.message),
    ).toEqual([]);
    const probe: Record<string, unknown> = {};
    expect([probe.polluted, probe.isAdmin]).toEqual([undefined, undefined]);
  });
});
