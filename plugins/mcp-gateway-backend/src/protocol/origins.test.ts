import { ConfigReader } from '@backstage/config';
import { normalisedOrigin, OriginPolicy, originSourcesFrom } from './origins';

describe('normalisedOrigin', () => {
  it('lower-cases scheme and host and drops default ports', () => {
    expect(normalisedOrigin('HTTPS://Portal.ACME.example:443')).toBe(
      'https://portal.acme.example',
    );
    expect(normalisedOrigin('http://localhost:80')).toBe('http://localhost');
    expect(normalisedOrigin('http://localhost:3000/app/path')).toBe(
      'http://localhost:3000',
    );
  });

  it('strictly (for headers) accepts a bare http(s) origin only', () => {
    const strict = (text: string) => normalisedOrigin(text, { strict: true });
    expect(strict('https://a.example')).toBe('https://a.example');
    expect(strict('https://a.example/')).toBe('https://a.example');
    for (const text of [
      'null',
      '',
      'a.example',
      'file:///etc',
      'chrome-extension://abc',
      'https://a.example/path',
      'https://user@a.example',
      'https://a.example?x',
      'https://a.example, https://b.example',
    ]) {
      expect([text, strict(text)]).toEqual([text, undefined]);
    }
  });
});

describe('OriginPolicy', () => {
  const policy = new OriginPolicy(
    originSourcesFrom(
      new ConfigReader({
        backend: {
          baseUrl: 'https://backstage.acme.example/backstage',
          cors: { origin: 'https://{app,docs}.acme.example' },
        },
        app: { baseUrl: 'http://localhost:3000' },
      }),
      ['https://*.agents.example', 'http://localhost:**'],
    ),
  );

  it('lets requests without an Origin header through', () => {
    expect(policy.allows(undefined)).toBe(true);
  });

  it('allows the base URLs’ origins', () => {
    expect(policy.allows('https://backstage.acme.example')).toBe(true);
    expect(policy.allows('http://localhost:3000')).toBe(true);
    expect(policy.allows('https://backstage.acme.example:444')).toBe(false);
  });

  it('reads backend.cors.origin as one string too, with minimatch braces', () => {
    expect(policy.allows('https://docs.acme.example')).toBe(true);
    expect(policy.allows('https://APP.acme.example')).toBe(true);
    expect(policy.allows('https://wiki.acme.example')).toBe(false);
  });

  it('matches mcpGateway.allowedOrigins in the policy pattern dialect', () => {
    expect(policy.allows('https://Bot.Agents.example')).toBe(true);
    expect(policy.allows('http://localhost:5173')).toBe(true);
    expect(policy.allows('https://agents.example')).toBe(false);
  });

  it('refuses empty, null and malformed origins', () => {
    for (const origin of ['', 'null', 'https://bot.agents.example/x']) {
      expect(policy.refusalFor(origin)).toMatchObject({
        status: 403,
        outcome: 'refused',
      });
    }
  });

  it('allows nothing but Origin-less requests when nothing is configured', () => {
    const closed = new OriginPolicy(
      originSourcesFrom(new ConfigReader({}), []),
    );
    expect(closed.allows(undefined)).toBe(true);
    expect(closed.allows('http://localhost:3000')).toBe(false);
  });
});
