import { AgentPolicyView } from '@mcp-gateway/plugin-mcp-gateway-common';

/** One topic of a policy, in a plain sentence. */
export interface PolicySentence {
  topic: string;
  sentence: string;
}

/**
 * "a", "a and b", "a, b and c"; with `or`, "a, b or c". With `oxford`, a
 * comma before the last of three or more (for items with "and" inside).
 */
export function joinWords(
  words: readonly string[],
  options: { or?: boolean; oxford?: boolean } = {},
): string {
  if (words.length <= 1) return words.join('');
  const last = words[words.length - 1];
  const comma = options.oxford && words.length > 2 ? ',' : '';
  return `${words.slice(0, -1).join(', ')}${comma} ${
    options.or ? 'or' : 'and'
  } ${last}`;
}

const isEverything = (allow: readonly string[]) => allow.includes('*');

function tools(policy: AgentPolicyView): string {
  const { allow, deny } = policy.tools;
  const except = deny.length > 0 ? ` except ${joinWords(deny)}` : '';
  if (isEverything(allow)) return `It may call every tool${except}.`;
  if (allow.length === 0) return 'It may call no tool.';
  return `It may call ${
    allow.length === 1 ? 'this tool' : 'these tools'
  }: ${joinWords(allow)}${deny.length > 0 ? `, but not ${joinWords(deny)}` : ''}.`;
}

function writing(policy: AgentPolicyView): string {
  return policy.readOnly
    ? 'It is read-only: it may call no tool that writes, whatever its tools allow.'
    : 'It may call tools that write (among the tools it may call).';
}

function templates(policy: AgentPolicyView): string {
  const { allow, tasks } = policy.templates;
  const tasksSentence =
    tasks === 'all'
      ? 'It sees every scaffolder task.'
      : 'It sees only the scaffolder tasks it started.';
  if (allow.length === 0) {
    return `It may not read or run any template. ${tasksSentence}`;
  }
  const verbs = policy.readOnly ? 'read (not run)' : 'read and run';
  const which = isEverything(allow)
    ? 'every template'
    : `${allow.length === 1 ? 'this template' : 'these templates'}: ${joinWords(allow)}`;
  return `It may ${verbs} ${which}. ${tasksSentence}`;
}

function locations(policy: AgentPolicyView): string {
  const { allow } = policy.locations;
  if (allow.length === 0) return 'It may register no catalog location.';
  if (isEverything(allow))
    return 'It may register catalog locations at any URL.';
  return `It may register catalog locations only at ${
    allow.length === 1 ? 'this URL' : 'these URLs'
  }: ${joinWords(allow)}.`;
}

function entities(policy: AgentPolicyView): string {
  const { kinds, namespaces, exclude } = policy.entities;
  const ofKinds =
    kinds && kinds.length > 0
      ? `of ${kinds.length === 1 ? 'kind' : 'kinds'} ${joinWords(kinds)}`
      : 'of every kind';
  const inNamespaces =
    namespaces && namespaces.length > 0
      ? `in ${
          namespaces.length === 1 ? 'namespace' : 'namespaces'
        } ${joinWords(namespaces)}`
      : 'in every namespace';
  const exceptions = [
    exclude.kinds.length > 0 &&
      `${exclude.kinds.length === 1 ? 'kind' : 'kinds'} ${joinWords(exclude.kinds)}`,
    exclude.namespaces.length > 0 &&
      `${
        exclude.namespaces.length === 1 ? 'namespace' : 'namespaces'
      } ${joinWords(exclude.namespaces)}`,
    exclude.tags.length > 0 &&
      `entities tagged ${joinWords(exclude.tags, { or: true })}`,
  ].filter((part): part is string => Boolean(part));
  const everything = !kinds?.length && !namespaces?.length;
  if (everything && exceptions.length === 0) {
    return 'It may see every entity its caller may see.';
  }
  return `It may see entities ${ofKinds} ${inNamespaces}${
    exceptions.length > 0
      ? `, except ${joinWords(exceptions, { oxford: true })}`
      : ''
  }.`;
}

function redaction(policy: AgentPolicyView): string {
  if (policy.redact.length === 0) return 'No entity field is redacted.';
  return `${
    policy.redact.length === 1 ? 'This field is' : 'These fields are'
  } removed from every entity it reads: ${joinWords(policy.redact)}.`;
}

function rateLimit(policy: AgentPolicyView): string {
  const limit = policy.rateLimit;
  if (!limit) return 'It has no rate limit of its own.';
  const writes =
    limit.writes !== undefined
      ? `, ${limit.writes} of them ${limit.writes === 1 ? 'a write' : 'writes'}`
      : '';
  return `${limit.requests} ${
    limit.requests === 1 ? 'request' : 'requests'
  } per ${limit.per}${writes}.`;
}

function listOf(noun: string, allow: readonly string[]): string {
  if (allow.length === 0) return `It may use no MCP ${noun}.`;
  if (isEverything(allow)) return `It may use every MCP ${noun}.`;
  return `It may use these MCP ${noun}s: ${joinWords(allow)}.`;
}

function enabled(policy: AgentPolicyView): string {
  return policy.enabled
    ? 'Enabled in app-config.'
    : 'Switched off in app-config (enabled: false): the gateway refuses all its calls.';
}

/** An agent's policy as plain sentences, one per topic, in the order an admin asks. */
export function describePolicy(policy: AgentPolicyView): PolicySentence[] {
  return [
    { topic: 'Status', sentence: enabled(policy) },
    { topic: 'Tools', sentence: tools(policy) },
    { topic: 'Writing', sentence: writing(policy) },
    { topic: 'Templates', sentence: templates(policy) },
    { topic: 'Locations', sentence: locations(policy) },
    { topic: 'Entities', sentence: entities(policy) },
    { topic: 'Redaction', sentence: redaction(policy) },
    { topic: 'Rate limit', sentence: rateLimit(policy) },
    {
      topic: 'Resources',
      sentence: listOf('resource', policy.resources.allow),
    },
    { topic: 'Prompts', sentence: listOf('prompt', policy.prompts.allow) },
  ];
}
