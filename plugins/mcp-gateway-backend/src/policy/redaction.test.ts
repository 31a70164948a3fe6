import { REDACTED, RedactionRules } from './redaction';

const rules = new RedactionRules(
  [
    'spec.profile.email',
    'metadata.annotations.vault.example.com/*',
    'spec.secrets',
  ],
  'mcpGateway.agents[bot]',
);

describe('RedactionRules', () => {
  it('matches a path, or any path below a matching one', () => {
    expect(rules.ruleFor('spec.profile.email')).toBe(
      "mcpGateway.agents[bot].redact pattern 'spec.profile.email'",
    );
    expect(
      rules.ruleFor('metadata.annotations.vault.example.com/token-path'),
    ).toMatch(/vault\.example\.com\/\*/);
    expect(rules.ruleFor('spec.secrets.db.password')).toMatch(/'spec.secrets'/);
    expect(rules.ruleFor('spec.profile')).toBeUndefined();
    expect(
      rules.ruleFor('metadata.annotations.github.com/project-slug'),
    ).toBeUndefined();
  });

  it('replaces whole values with a visible marker, inside arrays too', () => {
    const session = rules.session();
    const redacted = session.redact({
      metadata: {
        annotations: {
          'vault.example.com/token-path': 'secret/x/y',
          other: 'kept',
        },
      },
      spec: {
        secrets: { db: { password: 'hunter22' } },
        profile: { email: 'a@b.example', name: 'A' },
      },
      items: [{ spec: { profile: { email: 'x' } } }],
    });
    expect(redacted).toEqual({
      metadata: {
        annotations: {
          'vault.example.com/token-path': REDACTED,
          other: 'kept',
        },
      },
      spec: { secrets: REDACTED, profile: { email: REDACTED, name: 'A' } },
      items: [{ spec: { profile: { email: 'x' } } }],
    });
  });

  it('scrubs every hidden value from later text, such as an error message or a copied field', () => {
    const session = rules.session();
    session.redact({
      spec: {
        profile: { email: 'carol@acme.example' },
        secrets: { token: 'tok-123456' },
      },
    });
    expect(session.scrub('Mail carol@acme.example about tok-123456')).toBe(
      `Mail ${REDACTED} about ${REDACTED}`,
    );
    expect(session.scrub({ list: ['carol@acme.example', 7] })).toEqual({
      list: [REDACTED, 7],
    });
  });

  it('keeps nothing between sessions', () => {
    rules
      .session()
      .redact({ spec: { profile: { email: 'dan@acme.example' } } });
    expect(rules.session().scrub('dan@acme.example')).toBe('dan@acme.example');
  });
});
