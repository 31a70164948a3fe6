import { foldings, REDACTED, RedactionRules } from './redaction';

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

  describe('scrubbing', () => {
    const hiding = (entity: object) => {
      const session = new RedactionRules(
        ['metadata.annotations.secret', 'spec.owner'],
        'mcpGateway.agents[bot]',
      ).session();
      session.redact(entity);
      return session;
    };

    it('replaces whole words only, never part of a name or an entity ref', () => {
      const session = hiding({
        metadata: { annotations: { secret: 'payments' } },
      });
      expect(
        session.scrub(
          'the payments team; payments-api; system:default/payments; repayments',
        ),
      ).toBe(
        `the ${REDACTED} team; payments-api; system:default/payments; repayments`,
      );
    });

    it('replaces a hidden value that is itself a whole ref', () => {
      const session = hiding({
        metadata: { annotations: { secret: 'resource:default/vault-db' } },
      });
      expect(session.scrub('uses resource:default/vault-db daily')).toBe(
        `uses ${REDACTED} daily`,
      );
    });

    it('never scrubs what the caller sent, in any case', () => {
      const session = hiding({
        metadata: { annotations: { secret: 'Aurora Queue' } },
      });
      session.exemptInput({ term: 'find aurora queue please' });
      expect(session.scrub('Aurora Queue')).toBe('Aurora Queue');
    });

    it('hides a reference field as a link, and remembers nothing to scrub', () => {
      const session = hiding({
        spec: { owner: 'payments-team' },
        relations: [
          { type: 'ownedBy', targetRef: 'group:default/payments-team' },
          { type: 'dependsOn', targetRef: 'component:default/x' },
        ],
      });
      expect(session.scrub('payments-team')).toBe('payments-team');
      expect(
        session.redact({
          relations: [
            { type: 'ownerOf', targetRef: 'component:default/y' },
            { type: 'dependsOn', targetRef: 'component:default/x' },
          ],
        }),
      ).toEqual({
        relations: [
          { type: 'ownerOf', targetRef: REDACTED },
          { type: 'dependsOn', targetRef: 'component:default/x' },
        ],
      });
    });
  });

  it('folds paths as the catalog does, Unicode included', () => {
    expect(foldings('bac\u212Astage.io/x')).toContain('backstage.io/x');
    expect(foldings('ſpec')).toContain('spec');
    expect(
      new RedactionRules(['spec.profile.email'], 'k').ruleFor(
        'SPEC.PROFILE.EMAIL',
      ),
    ).toBeDefined();
  });
});
