/** An agent as an adopter writes it in app-config, with these keys changed. */
export const agent = (overrides: Record<string, unknown> = {}) => ({
  id: 'incident-copilot',
  principals: [{ service: 'incident-copilot' }],
  tools: { allow: ['*'] },
  ...overrides,
});

/** An agent that sets every policy key config.d.ts declares. */
export const fullPolicyAgent = () =>
  agent({
    readOnly: false,
    templates: { allow: ['template:default/new-service'] },
    locations: { allow: ['https://github.com/acme/*'] },
    resources: { allow: ['entity', 'techdocs'] },
    prompts: { allow: ['incident_*'] },
    entities: {
      kinds: ['Component'],
      namespaces: ['default'],
      exclude: { tags: ['restricted'] },
    },
    redact: ['spec.profile.email', 'metadata.annotations.vault.example.com/*'],
    rateLimit: { requests: 120, per: 'minute', writes: 10 },
    enabled: false,
  });
