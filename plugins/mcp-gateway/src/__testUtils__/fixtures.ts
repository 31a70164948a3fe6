import {
  AgentDetail,
  AgentPolicyView,
  AgentsOverview,
  AgentView,
  AuditRecordView,
} from '@mcp-gateway/plugin-mcp-gateway-common';

/** The fixtures' "now": their times are relative to when the tests run. */
export const NOW = Date.now();

export function minutesAgo(minutes: number): string {
  return new Date(NOW - minutes * 60_000).toISOString();
}

export function policy(
  overrides: Partial<AgentPolicyView> = {},
): AgentPolicyView {
  return {
    enabled: true,
    readOnly: false,
    tools: { allow: ['*'], deny: [] },
    templates: { allow: [], tasks: 'own' },
    locations: { allow: [] },
    resources: { allow: [] },
    prompts: { allow: [] },
    entities: { exclude: { kinds: [], namespaces: [], tags: [] } },
    redact: [],
    rateLimit: null,
    ...overrides,
  };
}

export function agent(
  overrides: Partial<AgentView> & { id: string },
): AgentView {
  return {
    configKey: `mcpGateway.agents[${overrides.id}]`,
    principals: [{ service: overrides.id }],
    policy: policy(),
    state: { state: 'running' },
    lastCallAt: null,
    lastHour: { calls: 0, refusals: 0 },
    lastDay: { calls: 0, refusals: 0 },
    ...overrides,
  };
}

/** The demo's five agents, as `GET agents` lists them. */
export function demoAgents(): AgentView[] {
  return [
    agent({
      id: 'incident-copilot',
      description:
        'On-call assistant. Finds owners, contacts and dependencies during an incident; never writes.',
      policy: policy({
        readOnly: true,
        resources: { allow: ['entity', 'techdocs'] },
        prompts: { allow: ['incident_response'] },
        templates: { allow: ['template:default/*'], tasks: 'own' },
        rateLimit: { requests: 120, per: 'minute' },
      }),
      lastCallAt: minutesAgo(2),
      lastHour: { calls: 42, refusals: 3 },
      lastDay: { calls: 1280, refusals: 17 },
    }),
    agent({
      id: 'onboarding-bot',
      description:
        'Answers new hires\' "who owns what" questions from the catalog and docs.',
      policy: policy({
        readOnly: true,
        tools: {
          allow: ['search_catalog', 'get_entity', 'get_techdocs'],
          deny: [],
        },
        entities: {
          exclude: { kinds: [], namespaces: [], tags: ['restricted'] },
        },
        redact: ['spec.profile.email'],
        rateLimit: { requests: 60, per: 'minute' },
      }),
      state: {
        state: 'disabled',
        reason: 'Answering with stale owners (INC-2211)',
        by: 'user:default/carol',
        changedAt: minutesAgo(30),
      },
      lastCallAt: minutesAgo(31),
      lastHour: { calls: 7, refusals: 5 },
      lastDay: { calls: 310, refusals: 9 },
    }),
    agent({
      id: 'catalog-hygiene',
      description: 'Nightly catalog hygiene job; may refresh entities.',
      policy: policy({
        tools: { allow: ['get_entity', 'refresh_entity'], deny: [] },
        rateLimit: { requests: 600, per: 'hour', writes: 100 },
      }),
      lastCallAt: minutesAgo(600),
      lastHour: { calls: 0, refusals: 0 },
      lastDay: { calls: 2400, refusals: 0 },
    }),
    agent({
      id: 'platform-automation',
      description: 'Self-service scaffolding: runs the new-service template.',
      policy: policy({
        enabled: false,
        tools: { allow: ['run_template', 'register_location'], deny: [] },
        templates: { allow: ['template:default/new-service'], tasks: 'own' },
        rateLimit: { requests: 60, per: 'minute', writes: 10 },
      }),
      state: {
        state: 'disabled',
        reason:
          'mcpGateway.agents[platform-automation].enabled is false in app-config',
        by: 'config',
      },
    }),
    agent({
      id: 'default',
      description: 'Any other caller the gateway admits.',
      principals: [{ group: 'group:default/platform' }],
      policy: policy({ readOnly: true }),
      lastCallAt: minutesAgo(12),
      lastHour: { calls: 12, refusals: 1 },
      lastDay: { calls: 96, refusals: 4 },
    }),
  ];
}

export function overview(
  overrides: Partial<AgentsOverview> = {},
): AgentsOverview {
  return {
    agents: demoAgents(),
    killSwitch: { engaged: false },
    ...overrides,
  };
}

export function auditRecord(
  overrides: Partial<AuditRecordView> & { id: string },
): AuditRecordView {
  return {
    time: minutesAgo(1),
    replica: 'replica-a',
    requestId: `req-${overrides.id}`,
    agent: 'incident-copilot',
    principal: 'service:incident-copilot',
    method: 'tools/call',
    operation: { kind: 'tool', name: 'get_entity', access: 'read' },
    decision: 'allowed',
    outcome: 'ok',
    durationMs: 42,
    ...overrides,
  };
}

export function agentDetail(
  agentView: AgentView,
  overrides: Partial<AgentDetail> = {},
): AgentDetail {
  const start = Date.parse('2025-06-01T12:00:00Z');
  return {
    agent: agentView,
    killSwitch: { engaged: false },
    activity: {
      window: 'day',
      from: new Date(start).toISOString(),
      to: new Date(NOW).toISOString(),
      bucketSeconds: 3600,
      buckets: Array.from({ length: 24 }, (_, hour) => ({
        start: new Date(start + hour * 3_600_000).toISOString(),
        calls: 10 + hour,
        refusals: hour % 5 === 0 ? 2 : 0,
        errors: hour === 7 ? 1 : 0,
      })),
    },
    refusals: [
      {
        reason: 'tool-not-allowed',
        stage: 'policy',
        count: 9,
        lastAt: minutesAgo(5),
        example: 'incident-copilot may not call refresh_entity.',
      },
      {
        reason: 'rate-limited',
        stage: 'limits',
        count: 1,
        lastAt: minutesAgo(50),
        example: 'incident-copilot made more than 120 requests a minute.',
      },
    ],
    ...overrides,
  };
}
