import { AgentConfig } from '../config/gatewayConfig';
import { compilePattern, escapeRegExp, Pattern } from '../config/patterns';
import { fieldsBehindRelation, referenceFieldAt } from './referenceFields';
import { redactedRoots } from './fieldProjection';
import { mapStrings } from '../core/mapStrings';

/** What a redacted value becomes: visible, so the model knows it exists. */
export const REDACTED = '[redacted]';

/** Values shorter than this are not scrubbed from free text (too common). */
const MIN_SCRUB_LENGTH = 4;

/**
 * The spellings under which the catalog could compare a path: it lower-cases
 * filter, sort, facet and search keys with full Unicode rules (the Kelvin
 * sign becomes `k`); upper-then-lower also folds what lower-casing alone
 * leaves (`ſ` becomes `s`), so no spelling of a redacted path slips past.
 */
export function foldings(path: string): string[] {
  const lower = path.toLowerCase();
  const folded = path.toUpperCase().toLowerCase();
  return lower === folded ? [lower] : [lower, folded];
}

const foldCase = (text: string) => text.toLowerCase();

/** Refs read `kind:namespace/name`; a hidden value inside one is not scrubbed. */
const FULL_REF = /([a-z][a-z0-9-]*:[a-z0-9_.-]+\/[a-z0-9_.-]+)/gi;

/**
 * Redaction within one tool call. Entities are redacted as they leave the
 * catalog; every free-text value hidden is remembered, and the shaping stage
 * scrubs those values from all text and structured output, including error
 * messages, so no later step can leak one by copying it elsewhere.
 * Scrubbing replaces whole words only, never part of an entity ref, and never
 * a value the caller itself sent: otherwise an echoed search term that turned
 * into `[redacted]` would tell the caller it guessed a hidden value.
 */
export class RedactionSession {
  private readonly hidden = new Set<string>();
  private readonly supplied: string[] = [];

  constructor(readonly rules: RedactionRules) {}

  /** Strings the caller sent in this call (arguments, a decoded cursor). */
  exemptInput(input: unknown) {
    const visit = (value: unknown) => {
      if (typeof value === 'string' || typeof value === 'number') {
        this.supplied.push(String(value).toLowerCase());
      } else if (Array.isArray(value)) {
        value.forEach(visit);
      } else if (value && typeof value === 'object') {
        Object.values(value).forEach(visit);
      }
    };
    visit(input);
  }

  /** An entity with its redacted fields and hidden relations replaced. */
  redact<T>(entity: T): T {
    if (this.rules.isEmpty || !entity || typeof entity !== 'object') {
      return entity;
    }
    const { relations, ...rest } = entity as Record<string, unknown>;
    const redacted = this.walk(rest, '') as Record<string, unknown>;
    if (relations !== undefined) {
      redacted.relations = this.rules.ruleFor('relations')
        ? REDACTED
        : this.redactRelations(relations);
    }
    return redacted as T;
  }

  /** Whether a value hidden in this call contains this text, case-insensitively. */
  hides(text: string): boolean {
    const wanted = text.toLowerCase();
    for (const value of this.hidden) {
      if (value.toLowerCase().includes(wanted)) return true;
    }
    return false;
  }

  /** Replaces every hidden value found in strings anywhere in the value. */
  scrub<T>(value: T): T {
    const scrubber = this.scrubber();
    return scrubber ? mapStrings(value, scrubber) : value;
  }

  private scrubber(): ((text: string) => string) | undefined {
    const values = [...this.hidden].filter(
      value => !this.supplied.some(sent => sent.includes(value.toLowerCase())),
    );
    if (values.length === 0) return undefined;
    const exact = new Set(values);
    const words = new RegExp(
      `(?<![\\p{L}\\p{N}_-])(?:${values
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|')})(?![\\p{L}\\p{N}_-])`,
      'gu',
    );
    return text =>
      text
        .split(FULL_REF)
        .map((part, i) => {
          // Odd parts are the refs the split captured.
          if (i % 2 === 1) return exact.has(part) ? REDACTED : part;
          return part.replace(words, REDACTED);
        })
        .join('');
  }

  private redactRelations(relations: unknown): unknown {
    if (!Array.isArray(relations)) return relations;
    return relations.map(relation => {
      const { type, targetRef } = relation as {
        type: string;
        targetRef: string;
      };
      // The link is hidden, not the entity: its ref is not scrubbed elsewhere.
      return this.rules.relationRule(type)
        ? { type, targetRef: REDACTED }
        : { type, targetRef };
    });
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
        if (this.redactsKey(path, key)) {
          this.remember(child, childPath);
          return [key, REDACTED];
        }
        return [key, this.walk(child, childPath)];
      }),
    );
  }

  /** Ancestors were tested on the way down: only the prefixes this key adds. */
  private redactsKey(parent: string, key: string): boolean {
    const base = parent ? `${parent}.` : '';
    let end = key.indexOf('.');
    while (end !== -1) {
      if (this.rules.ruleAt(base + key.slice(0, end))) return true;
      end = key.indexOf('.', end + 1);
    }
    return this.rules.ruleAt(base + key) !== undefined;
  }

  /**
   * Free text hidden here is scrubbed everywhere else in the answer. The
   * value of a reference field names another entity, which stays visible
   * under its own name: only the link is hidden, so it is not remembered.
   */
  private remember(value: unknown, path: string) {
    if (referenceFieldAt(path)) return;
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      if (text.length >= MIN_SCRUB_LENGTH) this.hidden.add(text);
    } else if (Array.isArray(value)) {
      value.forEach(v => this.remember(v, path));
    } else if (value && typeof value === 'object') {
      Object.entries(value).forEach(([key, v]) =>
        this.remember(v, `${path}.${key}`),
      );
    }
  }
}

/**
 * An agent's `redact` patterns over entity field paths (keys joined by
 * dots), in the gateway's pattern dialect, compared case-insensitively as
 * the catalog compares keys. A rule that matches a path, or any prefix of it
 * that ends at a dot, redacts the whole value there. A rule on a reference
 * field (spec.owner, spec.dependsOn, ...) also hides the relations the
 * catalog derives from it, in both directions.
 */
export class RedactionRules {
  private readonly rules: Array<{ pattern: string; compiled: Pattern }>;
  private readonly relationRules = new Map<string, string | undefined>();

  constructor(
    patterns: string[],
    private readonly configKey: string,
  ) {
    this.rules = patterns.map(pattern => ({
      pattern,
      compiled: compilePattern(pattern, { fold: foldCase }),
    }));
  }

  static of(agent: AgentConfig): RedactionRules {
    return new RedactionRules(agent.redact, agent.configKey);
  }

  get isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /** The catalog fields that hold what the rules redact (see redactedRoots). */
  get roots(): string[] | undefined {
    return redactedRoots(this.rules.map(r => r.pattern));
  }

  /** The rule that redacts this path or one of its dotted prefixes, if any. */
  ruleFor(path: string): string | undefined {
    let end = path.indexOf('.');
    while (end !== -1) {
      const rule = this.ruleAt(path.slice(0, end));
      if (rule) return rule;
      end = path.indexOf('.', end + 1);
    }
    return this.ruleAt(path);
  }

  /**
   * The rule that forbids filtering, sorting or searching on a path: a rule
   * on the path itself, or, for `relations.<type>`, on what that relation
   * is derived from.
   */
  queryRule(path: string): string | undefined {
    const direct = this.ruleFor(path);
    if (direct) return direct;
    const prefix = 'relations.';
    if (foldings(path).some(folded => folded.startsWith(prefix))) {
      return this.relationRule(path.slice(prefix.length));
    }
    return undefined;
  }

  /** The rule that hides relations of this type, if any. */
  relationRule(type: string): string | undefined {
    const key = type.toLowerCase();
    if (!this.relationRules.has(key)) {
      let rule = this.ruleFor(`relations.${type}`);
      for (const field of fieldsBehindRelation(type)) {
        if (rule) break;
        const behind = this.ruleFor(field.path);
        rule = behind && `${behind}, which also hides relations.${type}`;
      }
      this.relationRules.set(key, rule);
    }
    return this.relationRules.get(key);
  }

  /** A ledger for one call: it redacts, and remembers what it hid. */
  session(): RedactionSession {
    return new RedactionSession(this);
  }

  /** The rule that names exactly this path (not a prefix of it), if any. */
  ruleAt(path: string): string | undefined {
    for (const spelling of foldings(path)) {
      const rule = this.rules.find(r => r.compiled.test(spelling));
      if (rule) return `${this.configKey}.redact pattern '${rule.pattern}'`;
    }
    return undefined;
  }
}
