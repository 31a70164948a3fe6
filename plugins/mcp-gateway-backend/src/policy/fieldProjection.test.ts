import { fieldsToRead, projected, redactedRoots } from './fieldProjection';

describe('redactedRoots', () => {
  it('names the field, at most two deep, that holds what each pattern redacts', () => {
    expect(
      redactedRoots([
        'spec.profile.email',
        'metadata.annotations.vault.example.com/*',
        'metadata.title',
        'spec.*',
        'spec.prof*',
      ]),
    ).toEqual([
      'spec.profile',
      'metadata.annotations',
      'metadata.title',
      'spec',
    ]);
  });

  it('cannot name one for a pattern that starts with a wildcard', () => {
    expect(redactedRoots(['spec.owner', '*'])).toBeUndefined();
    expect(redactedRoots(['*.email'])).toBeUndefined();
    expect(redactedRoots(['.x'])).toBeUndefined();
  });

  it('has none to add without patterns', () => {
    expect(redactedRoots([])).toEqual([]);
  });
});

describe('fieldsToRead', () => {
  it('adds the redacted roots a projection leaves out', () => {
    expect(
      fieldsToRead(
        ['kind', 'metadata.name', 'metadata.description'],
        ['metadata.annotations', 'spec.profile'],
      ),
    ).toEqual([
      'kind',
      'metadata.name',
      'metadata.description',
      'metadata.annotations',
      'spec.profile',
    ]);
  });

  it('adds nothing a requested field already holds', () => {
    expect(
      fieldsToRead(
        ['metadata', 'spec.profile'],
        ['metadata.annotations', 'spec.profile'],
      ),
    ).toEqual(['metadata', 'spec.profile']);
  });

  it('reads everything without a projection, or when a root cannot be named', () => {
    expect(fieldsToRead(undefined, ['spec.profile'])).toBeUndefined();
    expect(fieldsToRead(['kind'], undefined)).toBeUndefined();
  });
});

describe('projected', () => {
  const entity = {
    kind: 'User',
    metadata: { name: 'a', description: 'd', annotations: { x: '1' } },
    spec: { profile: { email: '[redacted]', displayName: 'A' } },
  };

  it('keeps only the requested fields, as the catalog projects them', () => {
    expect(
      projected(entity, ['kind', 'metadata.name', 'spec.profile.displayName']),
    ).toEqual({
      kind: 'User',
      metadata: { name: 'a' },
      spec: { profile: { displayName: 'A' } },
    });
  });

  it('keeps a whole field asked for beside fields inside it, and skips absent ones', () => {
    expect(
      projected(entity, ['metadata.name', 'metadata', 'spec.type']),
    ).toEqual({ metadata: entity.metadata });
  });

  it('treats __proto__ as a field name, never as a prototype', () => {
    const hostile = JSON.parse(
      '{"__proto__": {"polluted": true}, "kind": "x"}',
    );
    const result = projected(hostile, ['__proto__', 'kind']) as any;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__', 'kind']);
    expect(({} as any).polluted).toBeUndefined();
  });
});
