import { AgentConfig } from '../config/gatewayConfig';

/** What a redacted value becomes: visible, so the model knows it exists. */
export const REDACTED = '[redacted]';

/** Values shorter than this are not scrubbed from free text (too common). */
const MIN_SCRUB_LENGTH = 4;

/**
 * Redaction within one tool call. Entities are redacted as they leave the
 * catalog; every value hidden is remembered, and the shaping stage scrubs
 * those values from all text and structured output, including error
 * messages, so no later step can leak one by copying it elsewhere.
 */
export class RedactionSession {
  private readonly hidden = new Set<string>();

  constructor(readonly rules: RedactionRules) {}

  redact<T>(value: T, path = ''): T {
    if (this.rules.isEmpty) return value;
    return this.walk(value, path) as T;
  }

  /** Replaces every hidden value found in strings anywhere in the value. */
  scrub<T>(value: T): T {
    if (this.hidden.size === 0) return value;
    const pattern = new RegExp(
      [...this.hidden]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    const visit = (v: unknown): unknown => {
      if (typeof v === 'string') return v.replace(pattern, REDACTED);
      if (Array.isArray(v)) return v.map(visit);
      if (v && typeof v === 'object') {
        return Object.fromEntries(
          Object.entries(v).map(([k, x]) => [k, visit(x)]),
        );
      }
      return v;
    };
    return visit(value) as T;
  }

  private walk(value: unknown, path: string): unknown {
    if (Array.isArray(value)) {
      // Array elements share their array's path.
      return value.map(item => this.walk(item, path));
    }
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => {
        const childPath = path ? `${path}.${key}` : key;
        // Ancestors were tested on the way down: only this path is new.
        if (this.rules.matches(childPath)) {
          this.remember(child);
          return [key, REDACTED];
        }
        return [key, this.walk(child, childPath)];
      }),
    );
  }

  private remember(value: unknown) {
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      if (text.length >= MIN_SCRUB_LENGTH) this.hidden.add(text);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(v => this.remember(v));
    }
  }
}

/**
 * An agent's `redact` patterns over entity field paths (keys joined by
 * dots; `*` matches anything, including dots and slashes). A match redacts
 * the whole value at that path, whatever is below it.
 */
export class RedactionRules {
  private readonly rules: Array<{ pattern: string; regex: RegExp }>;

  constructor(
    patterns: string[],
    private readonly configKey: string,
  ) {
    this.rules = patterns.map(pattern => ({
      pattern,
      regex: new RegExp(
        `^${pattern.split('*').map(escapeRegExp).join('.*')}$`,
        'i',
      ),
    }));
  }

  static of(agent: AgentConfig): RedactionRules {
    return new RedactionRules(agent.redact, agent.configKey);
  }

  get isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /** Whether a rule names exactly this path. */
  matches(path: string): boolean {
    return this.rules.some(r => r.regex.test(path));
  }

  /** The rule that redacts this path or one of its ancestors, if any. */
  ruleFor(path: string): string | undefined {
    const parts = path.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('.');
      const rule = this.rules.find(r => r.regex.test(prefix));
      if (rule) return `${this.configKey}.redact pattern '${rule.pattern}'`;
    }
    return undefined;
  }

  /** A ledger for one call: it redacts, and remembers what it hid. */
  session(): RedactionSession {
    return new RedactionSession(this);
  }
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
