import { TestGateway, tokenFor } from '../testGateway';
import { CURRENT, HOSTILE, HostileCase } from './hostileCase';
import { HttpAnswer, violationsOf } from './invariants';

/** Longest a case may take to be answered; a hang is a failure too. */
const ANSWER_TIMEOUT_MS = 30_000;
/** Refusals are audited before the answer; this only absorbs scheduling. */
const AUDIT_WAIT_MS = 300;

export interface CaseRunnerOptions {
  /** Values the agents' redaction hides: none may appear in an answer. */
  canaries: readonly string[];
  /** The agent of each service subject that has one. */
  agentOf: Record<string, string>;
}

const callerOf = (kase: HostileCase) =>
  kase.as === undefined ? HOSTILE.subject : kase.as;

/**
 * Sends hostile cases one at a time (so every audit record and log line
 * belongs to one case), checks each answer, and counts them.
 */
export class CaseRunner {
  private readonly names = new Set<string>();
  readonly counts = { handwritten: 0, generated: 0 };

  constructor(
    private readonly gateway: TestGateway,
    private readonly options: CaseRunnerOptions,
  ) {}

  /** Every violation of one case, each line naming the case. */
  async run(
    kase: HostileCase,
    origin: 'handwritten' | 'generated',
  ): Promise<string[]> {
    if (origin === 'handwritten') {
      if (this.names.has(kase.name)) {
        throw new Error(`Two hand-written cases are named '${kase.name}'`);
      }
      this.names.add(kase.name);
    }
    this.counts[origin] += 1;
    const { gateway } = this;
    const eventsBefore = gateway.auditEvents.length;
    const logsBefore = gateway.logs.length;
    let answer: HttpAnswer;
    try {
      answer = await send(gateway.url, kase);
    } catch (error) {
      return [`${kase.name}: no answer (${String(error)})`];
    }
    await this.auditedSince(eventsBefore);
    const caller = callerOf(kase);
    const violations = violationsOf(
      kase,
      answer,
      {
        events: gateway.auditEvents.slice(eventsBefore),
        errors: gateway.logs
          .slice(logsBefore)
          .filter(
            line =>
              line.level === 'error' && line.fields.plugin === 'mcp-gateway',
          ),
        agentId: caller === null ? undefined : this.options.agentOf[caller],
      },
      this.options.canaries,
    );
    return violations.map(violation => `${kase.name}: ${violation}`);
  }

  private async auditedSince(count: number) {
    const deadline = Date.now() + AUDIT_WAIT_MS;
    while (this.gateway.auditEvents.length === count && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }
}

async function send(url: string, kase: HostileCase): Promise<HttpAnswer> {
  const caller = callerOf(kase);
  const headers: Record<string, string | null> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': CURRENT,
    ...(caller !== null && { authorization: `Bearer ${tokenFor(caller)}` }),
    ...kase.headers,
  };
  const response = await fetch(url, {
    method: 'POST',
    headers: Object.fromEntries(
      Object.entries(headers).filter(
        (entry): entry is [string, string] => entry[1] !== null,
      ),
    ),
    body: kase.body,
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}
