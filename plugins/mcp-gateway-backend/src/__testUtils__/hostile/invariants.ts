import { CapturedLog } from '../capturedLogs';
import { CapturedAuditEvent } from '../testGateway';
import { HostileCase } from './hostileCase';

/** An HTTP answer as it came back. */
export interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** What the backend did while it answered one case. */
export interface Observed {
  events: CapturedAuditEvent[];
  /** Lines the gateway logged at error level. */
  errors: CapturedLog[];
  /** The agent the case's caller is, if any. */
  agentId?: string;
}

// A stack frame, a source file position, or a dependency's path.
export const STACK_TRACE =
  /\n\s+at \S|\(\S+:\d+:\d+\)|\.(?:[cm]?js|tsx?):\d+|node_modules\//;
// What an internal failure says instead of what was wrong with the request.
const UNEXPECTED = /failed unexpectedly|Internal (?:server )?error/i;
const INTERNAL_ERROR = -32603;

/**
 * Everything wrong with one answer to a hostile case, as readable lines;
 * none means the answer is a clear refusal (or a success the case allows),
 * audited, logged without errors, and leaking neither internals nor
 * redacted values.
 */
export function violationsOf(
  kase: HostileCase,
  answer: HttpAnswer,
  observed: Observed,
  canaries: readonly string[],
): string[] {
  const found: string[] = [];
  if (answer.status >= 500) found.push(`HTTP ${answer.status}`);
  if (kase.status !== undefined && answer.status !== kase.status) {
    found.push(`HTTP ${answer.status} where ${kase.status} was expected`);
  }
  let messages: unknown[] = [];
  try {
    messages = messagesIn(answer);
  } catch {
    found.push(`the answer is not JSON-RPC: ${clip(answer.text)}`);
  }
  return [
    ...found,
    ...leaksIn([answer.text, ...messages.flatMap(stringsIn)], canaries),
    ...unclearAnswer(kase, answer, messages),
    ...unaudited(kase, observed),
    ...observed.errors.map(
      line =>
        `the gateway logged an error: ${clip(line.message)} ${clip(
          JSON.stringify(line.fields.error ?? ''),
        )}`,
    ),
  ];
}

/** Internals or redacted values in any text of the answer. */
function leaksIn(texts: string[], canaries: readonly string[]): string[] {
  const found: string[] = [];
  const trace = texts.find(text => STACK_TRACE.test(text));
  if (trace) {
    found.push(`a stack trace or source path in the answer: ${clip(trace)}`);
  }
  const leaked = canaries.filter(canary => texts.some(t => t.includes(canary)));
  if (leaked.length) {
    found.push(`redacted values in the answer: ${leaked.join(', ')}`);
  }
  return found;
}

/** An answer that is no clear refusal, or not the one the case expects. */
function unclearAnswer(
  kase: HostileCase,
  answer: HttpAnswer,
  messages: unknown[],
): string[] {
  const judged = messages.map(judge);
  const found = judged.flatMap(j => (j.problem ? [j.problem] : []));
  const served =
    (answer.status < 300 && messages.length === 0) ||
    judged.some(j => j.served);
  if (served && !kase.mayServe) {
    found.push(
      `served: HTTP ${answer.status} without an error: ${clip(answer.text)}`,
    );
  }
  if (answer.status >= 400 && !judged.some(j => j.error !== undefined)) {
    found.push(`HTTP ${answer.status} without a JSON-RPC error`);
  }
  const errors = messages.flatMap((m: any) => (m?.error ? [m.error] : []));
  if (kase.code !== undefined && !errors.some(e => e.code === kase.code)) {
    found.push(`no JSON-RPC error ${kase.code}: ${clip(answer.text)}`);
  }
  const { dataSays, says } = kase;
  if (
    dataSays &&
    !errors.some(e => dataSays.test(JSON.stringify(e.data ?? null)))
  ) {
    found.push(`the error's data does not hold ${dataSays}`);
  }
  const said = judged.flatMap(j => (j.error === undefined ? [] : [j.error]));
  if (says && !served && !said.some(text => says.test(text))) {
    found.push(`the error does not say ${says}: ${clip(said.join(' | '))}`);
  }
  return found;
}

/** A request without its audit record, or with one that names nobody. */
function unaudited(kase: HostileCase, observed: Observed): string[] {
  if (observed.events.length === 0) return ['no audit record'];
  const { agentId } = observed;
  if (
    agentId !== undefined &&
    !kase.unattributed &&
    !observed.events.some(e => e.meta.agentId === agentId)
  ) {
    return [`no audit record attributed to agent ${agentId}`];
  }
  return [];
}

/** Every JSON-RPC message of an answer, JSON or an event stream. */
export function messagesIn(answer: HttpAnswer): unknown[] {
  if (answer.text === '') return [];
  if (answer.contentType.includes('text/event-stream')) {
    return answer.text
      .split('\n')
      .filter(line => line.startsWith('data: ') && line.length > 6)
      .map(line => JSON.parse(line.slice(6)));
  }
  const parsed = JSON.parse(answer.text);
  return Array.isArray(parsed) ? parsed : [parsed];
}

interface Judgement {
  /** The error's text, when the message is an error (JSON-RPC or isError). */
  error?: string;
  served: boolean;
  problem?: string;
}

/** One JSON-RPC message: a clear error, a success, or neither. */
function judge(message: any): Judgement {
  if (message?.jsonrpc !== '2.0') {
    return { served: false, problem: `not JSON-RPC 2.0: ${clip(message)}` };
  }
  if (message.error !== undefined) {
    const { code, message: text } = message.error ?? {};
    let problem = unclear(text);
    if (typeof code !== 'number') {
      problem ??= `an error without a numeric code: ${clip(message.error)}`;
    } else if (code === INTERNAL_ERROR) {
      problem ??= `an internal error (-32603) instead of what is wrong: ${clip(text)}`;
    }
    return { error: String(text ?? ''), served: false, problem };
  }
  if (message.result === undefined) {
    return {
      served: false,
      problem: `neither result nor error: ${clip(message)}`,
    };
  }
  if (message.result?.isError === true) {
    const text = (message.result.content ?? [])
      .map((block: { text?: string }) => block.text ?? '')
      .join('\n');
    return { error: text, served: false, problem: unclear(text) };
  }
  return { served: true };
}

/** Why an error text does not say what is wrong, if it does not. */
function unclear(text: unknown): string | undefined {
  if (typeof text !== 'string' || text.trim().length < 12) {
    return `an error that says nothing: ${clip(text)}`;
  }
  if (UNEXPECTED.test(text)) {
    return `an internal failure instead of what is wrong: ${clip(text)}`;
  }
  return undefined;
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringsIn);
}

function clip(value: unknown, limit = 300): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined || text.length <= limit
    ? String(text)
    : `${text.slice(0, limit)}…`;
}
