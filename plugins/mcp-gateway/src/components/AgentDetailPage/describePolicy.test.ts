import { policy } from '../../__testUtils__/fixtures';
import { describePolicy, joinWords } from './describePolicy';

function sentence(topic: string, overrides: Parameters<typeof policy>[0]) {
  return describePolicy(policy(overrides)).find(s => s.topic === topic)
    ?.sentence;
}

describe('describePolicy', () => {
  it('joins words as people write them', () => {
    expect(joinWords([])).toBe('');
    expect(joinWords(['a'])).toBe('a');
    expect(joinWords(['a', 'b'])).toBe('a and b');
    expect(joinWords(['a', 'b', 'c'])).toBe('a, b and c');
    expect(joinWords(['a', 'b'], { or: true })).toBe('a or b');
    expect(joinWords(['a', 'b', 'c and d'], { oxford: true })).toBe(
      'a, b, and c and d',
    );
  });

  it('describes every tool, with and without exceptions', () => {
    expect(sentence('Tools', {})).toBe('It may call every tool.');
    expect(
      sentence('Tools', {
        tools: { allow: ['*'], deny: ['refresh_entity', 'run_template'] },
      }),
    ).toBe('It may call every tool except refresh_entity and run_template.');
  });

  it('describes listed tools, and what is denied among them', () => {
    expect(
      sentence('Tools', {
        tools: {
          allow: ['search_catalog', 'get_entity', 'catalog_*'],
          deny: ['catalog_delete'],
        },
      }),
    ).toBe(
      'It may call these tools: search_catalog, get_entity and catalog_*, but not catalog_delete.',
    );
    expect(
      sentence('Tools', { tools: { allow: ['who_am_i'], deny: [] } }),
    ).toBe('It may call this tool: who_am_i.');
    expect(sentence('Tools', { tools: { allow: [], deny: [] } })).toBe(
      'It may call no tool.',
    );
  });

  it('says whether it may write', () => {
    expect(sentence('Writing', { readOnly: true })).toBe(
      'It is read-only: it may call no tool that writes, whatever its tools allow.',
    );
    expect(sentence('Writing', { readOnly: false })).toBe(
      'It may call tools that write (among the tools it may call).',
    );
  });

  it('describes templates and the tasks it reaches', () => {
    expect(
      sentence('Templates', {
        templates: { allow: ['template:default/new-service'], tasks: 'own' },
      }),
    ).toBe(
      'It may read and run this template: template:default/new-service. It sees only the scaffolder tasks it started.',
    );
    expect(
      sentence('Templates', {
        readOnly: true,
        templates: { allow: ['*'], tasks: 'all' },
      }),
    ).toBe(
      'It may read (not run) every template. It sees every scaffolder task.',
    );
    expect(sentence('Templates', {})).toBe(
      'It may not read or run any template. It sees only the scaffolder tasks it started.',
    );
  });

  it('lists the location URLs it may register', () => {
    expect(sentence('Locations', {})).toBe(
      'It may register no catalog location.',
    );
    expect(
      sentence('Locations', {
        locations: {
          allow: ['https://github.com/acme/*', 'https://gitlab.acme.com/*'],
        },
      }),
    ).toBe(
      'It may register catalog locations only at these URLs: https://github.com/acme/* and https://gitlab.acme.com/*.',
    );
  });

  it('describes which entities it may see, exclusions included', () => {
    expect(sentence('Entities', {})).toBe(
      'It may see every entity its caller may see.',
    );
    expect(
      sentence('Entities', {
        entities: {
          exclude: { kinds: [], namespaces: [], tags: ['restricted'] },
        },
      }),
    ).toBe(
      'It may see entities of every kind in every namespace, except entities tagged restricted.',
    );
    expect(
      sentence('Entities', {
        entities: {
          kinds: ['Component', 'API'],
          namespaces: ['default'],
          exclude: {
            kinds: ['User'],
            namespaces: ['secret', 'hr'],
            tags: ['restricted', 'pii'],
          },
        },
      }),
    ).toBe(
      'It may see entities of kinds Component and API in namespace default, except kind User, namespaces secret and hr, and entities tagged restricted or pii.',
    );
  });

  it('lists the redacted fields', () => {
    expect(sentence('Redaction', {})).toBe('No entity field is redacted.');
    expect(
      sentence('Redaction', {
        redact: [
          'spec.profile.email',
          'metadata.annotations.vault.example.com/*',
        ],
      }),
    ).toBe(
      'These fields are removed from every entity it reads: spec.profile.email and metadata.annotations.vault.example.com/*.',
    );
  });

  it('states the rate limit, writes included', () => {
    expect(sentence('Rate limit', {})).toBe('It has no rate limit of its own.');
    expect(
      sentence('Rate limit', {
        rateLimit: { requests: 120, per: 'minute', writes: 10 },
      }),
    ).toBe('120 requests per minute, 10 of them writes.');
    expect(
      sentence('Rate limit', { rateLimit: { requests: 600, per: 'hour' } }),
    ).toBe('600 requests per hour.');
  });

  it('lists resources and prompts, and whether app-config enables it', () => {
    const sentences = describePolicy(
      policy({
        enabled: false,
        resources: { allow: ['entity', 'techdocs'] },
        prompts: { allow: ['*'] },
      }),
    );
    expect(sentences).toEqual(
      expect.arrayContaining([
        {
          topic: 'Status',
          sentence:
            'Switched off in app-config (enabled: false): the gateway refuses all its calls.',
        },
        {
          topic: 'Resources',
          sentence: 'It may use these MCP resources: entity and techdocs.',
        },
        { topic: 'Prompts', sentence: 'It may use every MCP prompt.' },
      ]),
    );
    expect(sentence('Status', {})).toBe('Enabled in app-config.');
    expect(sentence('Prompts', {})).toBe('It may use no MCP prompt.');
  });
});
