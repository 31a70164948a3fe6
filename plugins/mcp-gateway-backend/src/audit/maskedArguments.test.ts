import {
  CUT_MARK,
  CYCLE_MARK,
  isSecret,
  maskArguments,
  MAX_DEPTH,
  MAX_VALUES,
  TOO_DEEP_MARK,
  UNREADABLE_MARK,
} from './maskedArguments';

describe('maskArguments', () => {
  describe('secrets', () => {
    it('masks values under secret keys at any depth and inside arrays', () => {
      expect(
        maskArguments(
          {
            name: 'svc',
            password: 'hunter2',
            config: {
              db: { user: 'app', passwd: 'p4ss' },
              hooks: [
                { url: 'https://x', secret: 's1' },
                { url: 'https://y', headers: { Authorization: 'Bearer abc' } },
              ],
            },
          },
          [],
        ),
      ).toEqual({
        name: 'svc',
        password: '[secret]',
        config: {
          db: { user: 'app', passwd: '[secret]' },
          hooks: [
            { url: 'https://x', secret: '[secret]' },
            { url: 'https://y', headers: { Authorization: '[secret]' } },
          ],
        },
      });
    });

    it('masks a whole object or array under a secret key', () => {
      expect(
        maskArguments(
          { credentials: { user: 'u', pass: 'p' }, tokens: ['a'] },
          [],
        ),
      ).toEqual({ credentials: '[secret]', tokens: '[secret]' });
    });

    it.each([
      'password',
      'PASSWORD',
      'newPassword',
      'password_confirmation',
      'passwd',
      'passphrase',
      'secret',
      'clientSecret',
      'client_secret',
      'aws_secret_access_key',
      'token',
      'Token',
      'accessToken',
      'refresh_token',
      'id_token',
      'x-auth-token',
      'apiKey',
      'api_key',
      'API_KEY',
      'APIKey',
      'X-Api-Key',
      'authorization',
      'Authorization',
      'proxy-authorization',
      'credential',
      'credentials',
      'privateKey',
      'private_key',
      'accessKey',
      'accessKeyId',
      'cookie',
      'Set-Cookie',
      'session',
      'sessionId',
      'session_token',
      'basicAuth',
      'auth',
      'jwt',
      'signingKey',
    ])('treats %p as a secret', key => {
      expect(isSecret(key, 'value')).toBe(true);
      expect(maskArguments({ [key]: 'value' }, [])).toEqual({
        [key]: '[secret]',
      });
    });

    it.each([
      ['tokens_used', 1200],
      ['max_tokens', 1000],
      ['maxTokens', 1000],
      ['token_type', 'Bearer'],
      ['tokenCount', 3],
      ['sessions', 4],
      ['session_ttl', 60],
      ['author', 'alice'],
      ['keyword', 'payments'],
      ['key', 'metadata.name'],
      ['tokenizer', 'bpe'],
      ['entityRef', 'component:default/a'],
      ['description', 'Rotates the password of the service'],
    ])('leaves the harmless %p visible', (key, value) => {
      expect(isSecret(key, value)).toBe(false);
      expect(maskArguments({ [key]: value }, [])).toEqual({ [key]: value });
    });

    it('treats a number under a plural noun as a count, anything else there as the things', () => {
      expect(maskArguments({ tokens: 3 }, [])).toEqual({ tokens: 3 });
      expect(maskArguments({ tokens: 'abc,def' }, [])).toEqual({
        tokens: '[secret]',
      });
    });

    it('masks a value a secret key names even when it is null or a number', () => {
      expect(maskArguments({ password: null, pin_token: 1234 }, [])).toEqual({
        password: '[secret]',
        pin_token: '[secret]',
      });
    });
  });

  describe('redact patterns', () => {
    it('redacts the value at an exact dotted path, case-insensitively', () => {
      expect(
        maskArguments(
          { spec: { profile: { Email: 'a@x', displayName: 'A' } } },
          ['spec.profile.email'],
        ),
      ).toEqual({
        spec: { profile: { Email: '[redacted]', displayName: 'A' } },
      });
    });

    it('redacts a whole subtree named by a prefix', () => {
      expect(
        maskArguments({ spec: { profile: { email: 'a@x' }, type: 'x' } }, [
          'spec.profile',
        ]),
      ).toEqual({ spec: { profile: '[redacted]', type: 'x' } });
    });

    it('matches paths under an argument, not only from the root', () => {
      expect(
        maskArguments(
          { entity: { spec: { profile: { email: 'a@x' } } }, dryRun: true },
          ['spec.profile.email'],
        ),
      ).toEqual({
        entity: { spec: { profile: { email: '[redacted]' } } },
        dryRun: true,
      });
    });

    it('lets array items share their array path', () => {
      expect(
        maskArguments({ users: [{ email: 'a@x' }, { email: 'b@x', id: 2 }] }, [
          'users.email',
        ]),
      ).toEqual({
        users: [{ email: '[redacted]' }, { email: '[redacted]', id: 2 }],
      });
    });

    it('supports * within a segment and ** across segments', () => {
      const args = {
        metadata: {
          annotations: {
            'vault.example.com/token-path': 'v1',
            'vault.example.com/role': 'r',
            'backstage.io/source': 's',
          },
        },
        a: { b: { c: { ssn: '1' } } },
      };
      expect(
        maskArguments(args, [
          'metadata.annotations.vault.example.com/*',
          '**.ssn',
        ]),
      ).toEqual({
        metadata: {
          annotations: {
            'vault.example.com/token-path': '[redacted]',
            'vault.example.com/role': '[redacted]',
            'backstage.io/source': 's',
          },
        },
        a: { b: { c: { ssn: '[redacted]' } } },
      });
      // `*` stops at '/': this pattern names no annotation key.
      expect(maskArguments(args.metadata, ['annotations.*'])).toEqual(
        args.metadata,
      );
    });

    it('redacts nothing with no patterns and leaves the input unchanged', () => {
      const args = { spec: { profile: { email: 'a@x' } }, password: 'p' };
      const before = JSON.stringify(args);
      maskArguments(args, ['spec.profile.email']);
      expect(JSON.stringify(args)).toBe(before);
      expect(maskArguments({ spec: { a: 1 } }, [])).toEqual({ spec: { a: 1 } });
    });

    it('hides everything when a pattern is not in the dialect', () => {
      expect(maskArguments({ a: 1 }, ['a[0]'])).toBe('[redacted]');
    });
  });

  describe('hostile input', () => {
    it('caps the depth with a marker instead of recursing without end', () => {
      let deep: unknown = 'bottom';
      for (let i = 0; i < 100_000; i++) deep = { next: deep };
      const masked = maskArguments(deep, []);
      let level = masked as Record<string, unknown>;
      let depth = 0;
      while (typeof level === 'object') {
        level = level.next as Record<string, unknown>;
        depth += 1;
      }
      expect(depth).toBe(MAX_DEPTH);
      expect(level).toBe(TOO_DEEP_MARK);
    });

    it('marks cycles', () => {
      const node: Record<string, unknown> = { name: 'a' };
      node.self = node;
      node.list = [node];
      expect(maskArguments(node, [])).toEqual({
        name: 'a',
        self: CYCLE_MARK,
        list: [CYCLE_MARK],
      });
    });

    it('keeps a value shared by two branches (not a cycle) in both', () => {
      const shared = { x: 1 };
      expect(maskArguments({ a: shared, b: shared }, [])).toEqual({
        a: { x: 1 },
        b: { x: 1 },
      });
    });

    it('cuts the copy after MAX_VALUES values, also when sharing would multiply them', () => {
      const big = Array.from({ length: MAX_VALUES * 3 }, (_, i) => i);
      const masked = maskArguments({ big }, []) as { big: unknown[] };
      expect(masked.big.length).toBeLessThanOrEqual(MAX_VALUES + 1);
      expect(masked.big[masked.big.length - 1]).toBe(CUT_MARK);

      // 2^40 paths through 40 levels of shared nodes.
      let node: unknown = 'leaf';
      for (let i = 0; i < 40; i++) node = { l: node, r: node };
      const started = Date.now();
      expect(JSON.stringify(maskArguments(node, ['**.x']))).toContain(
        TOO_DEEP_MARK,
      );
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('drops or converts what JSON cannot carry, without throwing', () => {
      const masked = maskArguments(
        {
          gone: undefined,
          fn: () => 1,
          sym: Symbol('s'),
          big: BigInt('12345678901234567890'),
          nan: NaN,
          inf: Infinity,
          when: new Date(0),
          list: [undefined, () => 1, 1n],
        },
        [],
      );
      expect(masked).toEqual({
        big: '12345678901234567890',
        nan: null,
        inf: null,
        when: '1970-01-01T00:00:00.000Z',
        list: [null, null, '1'],
      });
      expect(Object.keys(masked as object)).not.toContain('gone');
      expect(maskArguments(undefined, [])).toBeUndefined();
      expect(maskArguments(() => 1, [])).toBeUndefined();
      expect(maskArguments(5n, [])).toBe('5');
      expect(maskArguments('text', [])).toBe('text');
    });

    it('survives getters that throw', () => {
      const hostile = {
        ok: 1,
        get bad(): never {
          throw new Error('boom');
        },
      };
      expect(maskArguments({ hostile, fine: true }, [])).toEqual({
        hostile: UNREADABLE_MARK,
        fine: true,
      });
    });

    it('keeps a __proto__ key as data, never as a prototype', () => {
      const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
      const masked = maskArguments(parsed, []) as Record<string, unknown>;
      expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(JSON.stringify(masked)).toBe(
        '{"__proto__":{"polluted":true},"a":1}',
      );
    });
  });
});
