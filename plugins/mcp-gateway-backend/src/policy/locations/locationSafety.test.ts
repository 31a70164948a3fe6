import {
  LocationSafetyOptions,
  locationSafetyProblem,
  LookupAddress,
  MAX_LOCATION_URL_LENGTH,
} from './locationSafety';

const PUBLIC_V4 = '140.82.112.3';
const PUBLIC_V6 = '2606:4700::1111';

/** A resolver from a table; unknown names fail as getaddrinfo does. */
function fakeLookup(table: Record<string, string[]> = {}) {
  return jest.fn(async (hostname: string): Promise<LookupAddress[]> => {
    const addresses = table[hostname];
    if (!addresses) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
      });
    }
    return addresses.map(address => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
  });
}

function options(
  overrides: Partial<LocationSafetyOptions> = {},
): LocationSafetyOptions {
  return {
    allowedHosts: [],
    readingAllow: [],
    integrationHosts: ['github.com'],
    lookup: fakeLookup({ 'github.com': [PUBLIC_V4] }),
    ...overrides,
  };
}

const GOOD = 'https://github.com/acme/payments/blob/main/catalog-info.yaml';

describe('locationSafetyProblem', () => {
  describe('accepts', () => {
    it('a public integration URL', async () => {
      const lookup = fakeLookup({ 'github.com': [PUBLIC_V4, PUBLIC_V6] });
      await expect(
        locationSafetyProblem(GOOD, options({ lookup })),
      ).resolves.toBeUndefined();
      expect(lookup).toHaveBeenCalledWith('github.com');
    });

    it.each([
      'HTTPS://github.com/acme/payments/blob/main/catalog-info.yaml',
      'https://GitHub.COM/acme/payments/blob/main/catalog-info.yaml',
      'https://github.com:443/acme/payments/blob/main/catalog-info.yaml',
      'https://github.com/acme/.github/catalog-info.yaml',
      'https://github.com/acme/a..b/.../catalog-info.yaml',
      'https://github.com/acme/x?path=../../etc#..',
      'https://github.com',
    ])('a harmless spelling: %s', async url => {
      await expect(
        locationSafetyProblem(url, options()),
      ).resolves.toBeUndefined();
    });

    // On-prem GitLab or Gitea is often plain http.
    it('http on a configured integration host', async () => {
      await expect(
        locationSafetyProblem(
          'http://gitlab.example.com/group/repo/-/blob/main/catalog-info.yaml',
          options({
            integrationHosts: ['gitlab.example.com'],
            lookup: fakeLookup({ 'gitlab.example.com': [PUBLIC_V4] }),
          }),
        ),
      ).resolves.toBeUndefined();
    });

    it('a URL of exactly the maximum length', async () => {
      const base = 'https://github.com/acme/';
      const url = base + 'a'.repeat(MAX_LOCATION_URL_LENGTH - base.length);
      expect(url).toHaveLength(MAX_LOCATION_URL_LENGTH);
      await expect(
        locationSafetyProblem(url, options()),
      ).resolves.toBeUndefined();
    });

    // Neighbours of the refused ranges: the ranges are not too wide.
    it.each([
      '172.15.255.255',
      '172.32.0.0',
      '100.63.255.255',
      '100.128.0.0',
      '169.253.255.255',
      '169.255.0.0',
      '11.0.0.0',
      '9.255.255.255',
      '126.255.255.255',
      '128.0.0.0',
      '192.167.255.255',
      '192.169.0.0',
      '223.255.255.255',
      PUBLIC_V4,
    ])('the public address %s', async address => {
      await expect(
        locationSafetyProblem(
          `http://${address}/catalog-info.yaml`,
          options({ readingAllow: [{ host: address }] }),
        ),
      ).resolves.toBeUndefined();
    });

    it('a public IPv6 literal on an integration host', async () => {
      await expect(
        locationSafetyProblem(
          `https://[${PUBLIC_V6}]/catalog-info.yaml`,
          options({ integrationHosts: [`[${PUBLIC_V6}]`] }),
        ),
      ).resolves.toBeUndefined();
    });

    it.each([
      ['a DNS64 (NAT64) address of a public host', '64:ff9b::8c52:7003'],
      ['a 6to4 address of a public host', '2002:8c52:7003::1'],
      ['an IPv4-mapped public address', '::ffff:140.82.112.3'],
    ])('a name resolving to %s', async (_, address) => {
      await expect(
        locationSafetyProblem(
          GOOD,
          options({ lookup: fakeLookup({ 'github.com': [address] }) }),
        ),
      ).resolves.toBeUndefined();
    });
  });

  describe('refuses schemes other than http and https', () => {
    it.each([
      'file:///etc/passwd',
      'file://localhost/etc/passwd',
      'FILE:///etc/passwd',
      'ftp://github.com/catalog-info.yaml',
      'data:text/plain,apiVersion:backstage.io/v1alpha1',
      'DATA:,x',
      // eslint-disable-next-line no-script-url
      'javascript:alert(1)',
      'gopher://github.com:6379/_FLUSHALL',
      'ws://github.com/',
      'git://github.com/acme/payments.git',
      'ssh://git@github.com/acme/payments.git',
      'jar:https://github.com/x.jar!/catalog-info.yaml',
      'blob:https://github.com/uuid',
      'httpx://github.com/',
      'https+unix://github.com/',
    ])('%s', async url => {
      const refusal = await locationSafetyProblem(url, options());
      expect(refusal).toMatchObject({
        code: 'location-unsafe',
        rule: 'scheme',
      });
      expect(refusal?.message).toMatch(/only http: and https:/);
    });
  });

  describe('refuses what is not an absolute http(s) URL', () => {
    it.each([
      'github.com/acme/payments/catalog-info.yaml',
      '/acme/payments/catalog-info.yaml',
      './catalog-info.yaml',
      '../catalog-info.yaml',
      '//github.com/acme/catalog-info.yaml',
      '',
      ':',
      '1http://github.com/',
      'http:github.com/catalog-info.yaml',
      'http:/github.com/catalog-info.yaml',
      'https:',
      'https://',
      'https://[fe80::1%25eth0]/',
      'https://[::1%25lo]/',
      'http://1.2.3.4.5/',
      'http://256.0.0.1/',
      'http://[::1/',
      'http://github.com:99999/',
      'http://github.com:port/',
      'http://exa mple.com/'.replace(' ', '%20'),
    ])('%j', async url => {
      expect(await locationSafetyProblem(url, options())).toMatchObject({
        rule: 'malformed',
      });
    });

    it.each([null, undefined, 42, {}, ['https://github.com/']])(
      'a non-string %j',
      async url => {
        expect(
          await locationSafetyProblem(url as unknown as string, options()),
        ).toMatchObject({ rule: 'malformed' });
      },
    );

    it.each([
      'https://a..example.com/',
      'https://.example.com/',
      'https://127.0.0.1../',
      `https://${'a'.repeat(64)}.example.com/`,
      `https://${`${'a'.repeat(60)}.`.repeat(4)}example.com/`,
    ])('a host with empty, over-long or too many labels: %s', async url => {
      expect(await locationSafetyProblem(url, options())).toMatchObject({
        rule: 'malformed',
      });
    });
  });

  describe('refuses credentials', () => {
    it.each([
      'https://user:pass@github.com/acme/catalog-info.yaml',
      'https://user@github.com/',
      'https://:pass@github.com/',
      'https://@github.com/',
      'https://:@github.com/',
      'https://github.com@127.0.0.1/',
      'https://github.com@evil.example/',
      'https://github.com%40evil.example@github.com/',
      'https://github.com:443@evil.example/',
      'HTTPS://USER@GITHUB.COM/',
    ])('%s', async url => {
      const refusal = await locationSafetyProblem(url, options());
      expect(refusal).toMatchObject({ rule: 'credentials' });
      expect(refusal?.message).toMatch(/without them/);
    });
  });

  describe('refuses control characters, whitespace, invisible characters and backslashes', () => {
    it.each([
      ['tab', 'https://github.com/\tacme/'],
      ['tab in the host', 'https://git\thub.com/'],
      ['newline', 'https://github.com/acme/\n'],
      ['carriage return', 'https://github.com/\r\nX-Injected: 1'],
      ['space', 'https://github.com/acme payments/'],
      ['leading space', ' https://github.com/'],
      ['trailing newline', 'https://github.com/\n'],
      ['NUL', 'https://github.com/\u0000'],
      ['DEL', 'https://github.com/\u007f'],
      ['C1 next line', 'https://github.com/\u0085'],
      ['no-break space', 'https://github.com/\u00a0'],
      ['soft hyphen in the host', 'http://loc\u00adalhost/'],
      ['zero-width space in the host', 'https://git\u200bhub.com/'],
      ['line separator', 'https://github.com/\u2028'],
      ['right-to-left override', 'https://github.com/\u202eyaml.txt'],
      ['byte-order mark', '\ufeffhttps://github.com/'],
      ['ideographic space', 'https://github.com/\u3000'],
      ['lone surrogate', 'https://github.com/\ud800'],
      ['backslash before @', 'https://github.com\\@127.0.0.1/'],
      ['backslash as separator', 'https:\\\\github.com\\acme'],
      ['backslash in the path', 'https://github.com/acme\\..\\..\\evil'],
      ['encoded NUL', 'https://github.com/acme%00.yaml'],
      ['encoded newline', 'https://github.com/acme%0a'],
      ['encoded CRLF, upper case', 'https://github.com/acme%0D%0AHost:%20x'],
      ['encoded DEL', 'https://github.com/acme%7F'],
      ['encoded control in the host', 'http://127.0.0.1%09/'],
    ])('%s', async (_, url) => {
      const refusal = await locationSafetyProblem(url, options());
      expect(refusal).toMatchObject({ rule: 'characters' });
    });
  });

  describe('refuses oversized URLs', () => {
    it('one character over the maximum', async () => {
      const base = 'https://github.com/acme/';
      const url = base + 'a'.repeat(MAX_LOCATION_URL_LENGTH + 1 - base.length);
      const refusal = await locationSafetyProblem(url, options());
      expect(refusal).toMatchObject({ rule: 'too-long' });
      expect(refusal?.message).toContain(String(MAX_LOCATION_URL_LENGTH));
    });

    it('a megabyte quickly, without resolving it', async () => {
      const lookup = fakeLookup();
      const refusal = await locationSafetyProblem(
        `https://${'a'.repeat(1_000_000)}.example.com/`,
        options({ lookup }),
      );
      expect(refusal).toMatchObject({ rule: 'too-long' });
      expect(refusal!.message.length).toBeLessThan(200);
      expect(lookup).not.toHaveBeenCalled();
    });
  });

  describe('refuses non-public IP literals in every spelling', () => {
    it.each([
      // IPv4 loopback, spelled every way the WHATWG parser accepts
      ['http://127.0.0.1/', 'loopback'],
      ['http://127.255.255.254/', 'loopback'],
      ['http://2130706433/', 'loopback'],
      ['http://0x7f.0.0.1/', 'loopback'],
      ['http://0x7F000001/', 'loopback'],
      ['http://0177.0.0.1/', 'loopback'],
      ['http://017700000001/', 'loopback'],
      ['http://0x7f.1/', 'loopback'],
      ['http://127.1/', 'loopback'],
      ['http://127.0.1/', 'loopback'],
      ['http://127.0.0.1./', 'loopback'],
      ['http://127.0.0.1%2e/', 'loopback'],
      ['http://%31%32%37.0.0.1/', 'loopback'],
      ['http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/', 'loopback'],
      ['http://127\u30020\u30020\u30021/', 'loopback'],
      ['http://127.0.0.1:7007/api/catalog', 'loopback'],
      ['HTTP://127.0.0.1/', 'loopback'],
      // IPv6 loopback and IPv4 inside IPv6
      ['http://[::1]/', 'loopback'],
      ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
      ['http://[0000::0001]:8080/', 'loopback'],
      ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped address of 127.0.0.1'],
      ['http://[::ffff:7f00:1]/', 'IPv4-mapped address of 127.0.0.1'],
      ['http://[::FFFF:7F00:1]/', 'IPv4-mapped address of 127.0.0.1'],
      [
        'http://[0:0:0:0:0:ffff:a9fe:a9fe]/',
        'IPv4-mapped address of 169.254.169.254, a link-local',
      ],
      ['http://[::ffff:10.0.0.1]/', 'IPv4-mapped address of 10.0.0.1'],
      ['http://[::ffff:0:7f00:1]/', 'IPv4-mapped address of 127.0.0.1'],
      ['http://[::127.0.0.1]/', '2000::/3'],
      ['http://[::7f00:1]/', '2000::/3'],
      ['http://[::2]/', '2000::/3'],
      // Unspecified: connects to the local machine
      ['http://0.0.0.0/', 'unspecified'],
      ['http://0/', 'unspecified'],
      ['http://0x0/', 'unspecified'],
      ['http://0.0.0.0:8080/', 'unspecified'],
      ['http://0.1.2.3/', 'unspecified'],
      ['http://[::]/', 'unspecified'],
      // Cloud metadata
      ['http://169.254.169.254/latest/meta-data/', 'link-local'],
      ['http://169.254.169.254/computeMetadata/v1/', 'link-local'],
      ['http://2852039166/', 'link-local'],
      ['http://0xa9fea9fe/', 'link-local'],
      ['http://0251.0376.0251.0376/', 'link-local'],
      ['http://169.254.170.2/v2/credentials', 'link-local'],
      ['http://168.63.129.16/', 'Azure'],
      ['http://100.100.100.200/latest/meta-data/', 'carrier-grade NAT'],
      ['http://[fd00:ec2::254]/', 'unique-local'],
      ['http://192.0.0.192/', 'reserved'],
      // Private, CGNAT, link-local
      ['http://10.0.0.1/', 'private'],
      ['http://10.255.255.255/', 'private'],
      ['http://012.0.0.1/', 'private'],
      ['http://172.16.0.1/', 'private'],
      ['http://172.31.255.255/', 'private'],
      ['http://192.168.0.1/', 'private'],
      ['http://192.168.255.255/', 'private'],
      ['http://100.64.0.1/', 'carrier-grade NAT'],
      ['http://100.127.255.255/', 'carrier-grade NAT'],
      ['http://169.254.0.1/', 'link-local'],
      ['http://[fc00::1]/', 'unique-local'],
      ['http://[fdff:ffff::1]/', 'unique-local'],
      ['http://[fe80::1]/', 'link-local'],
      ['http://[febf:ffff::1]/', 'link-local'],
      ['http://[fec0::1]/', 'site-local'],
      // Transition mechanisms that reach an IPv4 address
      ['http://[64:ff9b::a9fe:a9fe]/', 'NAT64 address of 169.254.169.254'],
      ['http://[64:ff9b::127.0.0.1]/', 'NAT64 address of 127.0.0.1'],
      ['http://[64:ff9b::a00:1]/', 'NAT64 address of 10.0.0.1'],
      ['http://[64:ff9b:1::8c52:7003]/', 'local-use NAT64'],
      ['http://[2002:7f00:1::]/', '6to4 address of 127.0.0.1'],
      ['http://[2002:a9fe:a9fe::1]/', '6to4 address of 169.254.169.254'],
      ['http://[2002:c0a8:101::1]/', '6to4 address of 192.168.1.1'],
      ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', 'Teredo'],
      // Multicast, broadcast, reserved
      ['http://224.0.0.1/', 'multicast'],
      ['http://239.255.255.250/', 'multicast'],
      ['http://[ff02::1]/', 'multicast'],
      ['http://255.255.255.255/', 'broadcast'],
      ['http://4294967295/', 'broadcast'],
      ['http://240.0.0.1/', 'reserved'],
      ['http://192.0.2.1/', 'reserved'],
      ['http://198.18.0.1/', 'reserved'],
      ['http://203.0.113.1/', 'reserved'],
      ['http://[2001:db8::1]/', 'reserved'],
      ['http://[100::1]/', 'discard'],
    ])('%s', async (url, words) => {
      const lookup = fakeLookup();
      // Even when backend.reading.allow would let the catalog read it.
      const refusal = await locationSafetyProblem(
        url,
        options({
          readingAllow: [{ host: new URL(url).hostname }],
          lookup,
        }),
      );
      expect(refusal).toMatchObject({
        code: 'location-unsafe',
        rule: 'address',
      });
      expect(refusal?.message).toContain(words);
      expect(refusal?.message).toContain('mcpGateway.locationHosts.allow');
      expect(lookup).not.toHaveBeenCalled();
    });
  });

  describe('refuses local and metadata host names', () => {
    it.each([
      ['http://localhost/', 'local machine'],
      ['http://LOCALHOST./', 'local machine'],
      ['http://LocalHost:7007/api/catalog', 'local machine'],
      ['http://foo.localhost/', 'local machine'],
      ['http://a.b.LOCALHOST/', 'local machine'],
      ['http://%6c%6fcalhost/', 'local machine'],
      ['http://\u24dbocalhost/', 'local machine'],
      ['http://loc%C2%ADalhost/', 'local machine'],
      [
        'http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/',
        'local machine',
      ],
      ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
      ['http://METADATA.GOOGLE.INTERNAL./', 'metadata'],
      ['http://metadata.goog/', 'metadata'],
      ['http://metadata/', 'metadata'],
      ['http://instance-data/latest/', 'metadata'],
      ['http://instance-data.ec2.internal/', 'metadata'],
      ['http://intranet/', 'no domain'],
      ['http://kubernetes:443/', 'no domain'],
      ['http://gitlab./', 'no domain'],
    ])('%s', async (url, words) => {
      const lookup = fakeLookup();
      const refusal = await locationSafetyProblem(
        url,
        options({ readingAllow: [{ host: new URL(url).hostname }], lookup }),
      );
      expect(refusal).toMatchObject({ rule: 'host-name' });
      expect(refusal?.message).toContain(words);
      expect(lookup).not.toHaveBeenCalled();
    });
  });

  describe('refuses a host spelled otherwise than the parser reads it', () => {
    it.each([
      'https://%67ithub.com/acme/',
      'https://github%2ecom/acme/',
      'https://\uff47ithub.com/acme/',
      'https://github\u3002com/acme/',
      'https:///github.com/acme/',
      'https:github.com/acme/',
    ])('%s', async url => {
      expect(await locationSafetyProblem(url, options())).toMatchObject({
        rule: url === 'https:github.com/acme/' ? 'malformed' : 'host-spelling',
      });
    });

    it('an internationalised name (which must be sent as punycode)', async () => {
      const opts = options({
        integrationHosts: ['xn--bcher-kva.example'],
        lookup: fakeLookup({ 'xn--bcher-kva.example': [PUBLIC_V4] }),
      });
      expect(
        await locationSafetyProblem('https://b\u00fccher.example/x', opts),
      ).toMatchObject({ rule: 'host-spelling' });
      await expect(
        locationSafetyProblem('https://xn--bcher-kva.example/x', opts),
      ).resolves.toBeUndefined();
    });

    // Unicode case folding: 'K' (Kelvin sign) lower-cases to an ASCII 'k'.
    it.each([
      'https://\u212aubernetes.example.com/',
      'https://G\u0130THUB.com/',
    ])('no Unicode case folding: %s', async url => {
      const refusal = await locationSafetyProblem(
        url,
        options({
          readingAllow: [{ host: '*.example.com' }],
          lookup: fakeLookup({ 'kubernetes.example.com': [PUBLIC_V4] }),
        }),
      );
      expect(refusal).toMatchObject({ rule: 'host-spelling' });
    });

    it('a public address spelled in decimal', async () => {
      expect(
        await locationSafetyProblem(
          'http://134744072/',
          options({ readingAllow: [{ host: '8.8.8.8' }] }),
        ),
      ).toMatchObject({ rule: 'host-spelling' });
    });
  });

  describe('refuses dot segments in the path', () => {
    it.each([
      'https://github.com/acme/allowed/../../evil/repo/catalog-info.yaml',
      'https://github.com/acme/allowed/..',
      'https://github.com/acme/./catalog-info.yaml',
      'https://github.com/acme/.',
      'https://github.com/acme/%2e%2e/evil',
      'https://github.com/acme/%2E%2E/evil',
      'https://github.com/acme/.%2e/evil',
      'https://github.com/acme/%2e./evil',
      'https://github.com/acme/%2e/evil',
      'https://github.com/acme/..;/evil',
      'https://github.com/acme/..;jsessionid=1/evil',
      'https://github.com/acme/.;/evil',
    ])('%s', async url => {
      expect(await locationSafetyProblem(url, options())).toMatchObject({
        rule: 'path',
      });
    });
  });

  describe('requires a host the catalog can read', () => {
    const readable = (readingAllow: LocationSafetyOptions['readingAllow']) =>
      options({
        integrationHosts: [],
        readingAllow,
        lookup: async () => [{ address: PUBLIC_V4, family: 4 }],
      });

    it('refuses every host when backend.reading.allow is empty and no integration matches, without resolving it', async () => {
      const lookup = fakeLookup({ 'docs.example.com': [PUBLIC_V4] });
      const refusal = await locationSafetyProblem(
        'https://docs.example.com/catalog-info.yaml',
        options({ integrationHosts: [], readingAllow: [], lookup }),
      );
      expect(refusal).toMatchObject({ rule: 'not-readable' });
      expect(refusal?.message).toContain('backend.reading.allow');
      expect(refusal?.message).toContain('integrations.<provider>[].host');
      expect(refusal?.message).toContain("'docs.example.com'");
      expect(lookup).not.toHaveBeenCalled();
    });

    it.each([
      // [entry, url, readable?]
      ['docs.example.com', 'https://docs.example.com/x.yaml', true],
      ['docs.example.com', 'http://docs.example.com/x.yaml', true],
      ['docs.example.com', 'https://other.example.com/x.yaml', false],
      ['docs.example.com', 'https://docs.example.com.evil.example/x', false],
      ['docs.example.com', 'https://docs.example.com./x.yaml', false],
      // Backstage compares the entry as written with the lower-case host.
      ['Docs.Example.com', 'https://docs.example.com/x.yaml', false],
      ['*.example.com', 'https://a.example.com/x.yaml', true],
      ['*.example.com', 'https://A.B.EXAMPLE.COM/x.yaml', true],
      ['*.example.com', 'https://example.com/x.yaml', false],
      ['*.example.com', 'https://evilexample.com/x.yaml', false],
      ['*.example.com', 'https://example.com.evil.example/x', false],
      // No port in the entry: the URL must not name one (defaults vanish).
      ['docs.example.com', 'https://docs.example.com:443/x.yaml', true],
      ['docs.example.com', 'http://docs.example.com:80/x.yaml', true],
      ['docs.example.com', 'https://docs.example.com:8443/x.yaml', false],
      ['docs.example.com', 'http://docs.example.com:443/x.yaml', false],
      ['docs.example.com:8443', 'https://docs.example.com:8443/x', true],
      ['docs.example.com:8443', 'https://docs.example.com/x', false],
      ['docs.example.com:8443', 'https://docs.example.com:8444/x', false],
      ['docs.example.com:443', 'https://docs.example.com/x', true],
      ['docs.example.com:8000-9000', 'https://docs.example.com:8500/x', true],
      ['docs.example.com:8000-9000', 'https://docs.example.com:9001/x', false],
      ['docs.example.com:9000-8000', 'https://docs.example.com:8500/x', false],
      ['*.example.com:8443', 'https://a.example.com:8443/x', true],
      ['*.example.com:8443', 'https://a.example.com/x', false],
      // Backstage splits the entry at ':', so IPv6 entries never match.
      [`[${PUBLIC_V6}]`, `https://[${PUBLIC_V6}]/x`, false],
    ])('%s and %s: %s', async (host, url, expected) => {
      const refusal = await locationSafetyProblem(url, readable([{ host }]));
      expect(refusal?.rule).toBe(expected ? undefined : 'not-readable');
    });

    it.each([
      [['/team-a/'], '/team-a/catalog-info.yaml', true],
      [['/team-a/'], '/team-a/', true],
      [['/team-a/'], '/team-a', false],
      [['/team-a/'], '/team-b/catalog-info.yaml', false],
      [['/team-a/'], '/team-a//catalog-info.yaml', true],
      [['/team-a'], '/team-a', true],
      [['/team-a'], '/team-a/x.yaml', true],
      [['/team-a'], '/team-ab/x.yaml', false],
      [['/team-a'], '/TEAM-A/x.yaml', false],
      [['/team-a', '/team-b'], '/team-b/x.yaml', true],
      [['/team-a/'], '/team-a%2f..%2fteam-b/x.yaml', false],
      [['/team-a/'], '/team-a/..%2Fteam-b/x.yaml', false],
      [['/team-a/'], '/team-a/..%5cteam-b/x.yaml', false],
      [['/team-a/'], '/team-a/%2e%2e%2fteam-b/x.yaml', false],
      [[], '/team-a/x.yaml', false],
    ])('paths %j and %s: %s', async (paths, path, expected) => {
      const refusal = await locationSafetyProblem(
        `https://docs.example.com${path}`,
        readable([{ host: 'docs.example.com', paths }]),
      );
      expect(refusal?.rule).toBe(expected ? undefined : 'not-readable');
    });

    it('allows encoded slashes where the entry does not limit paths', async () => {
      await expect(
        locationSafetyProblem(
          'https://docs.example.com/api/v4/projects/group%2Frepo/x.yaml',
          readable([{ host: 'docs.example.com' }]),
        ),
      ).resolves.toBeUndefined();
    });

    it('tries every entry', async () => {
      await expect(
        locationSafetyProblem(
          'https://b.example.com/x',
          readable([
            { host: 'a.example.com' },
            { host: '*.example.com', paths: ['/y'] },
            { host: 'b.example.com' },
          ]),
        ),
      ).resolves.toBeUndefined();
    });

    it.each([
      ['ghe.example.com', 'https://ghe.example.com/acme/x', true],
      ['ghe.example.com', 'https://ghe.example.com:8443/acme/x', false],
      ['ghe.example.com', 'https://sub.ghe.example.com/acme/x', false],
      ['ghe.example.com:8443', 'https://ghe.example.com:8443/acme/x', true],
      ['ghe.example.com:8443', 'https://ghe.example.com/acme/x', false],
    ])('integration host %s and %s: %s', async (host, url, expected) => {
      const refusal = await locationSafetyProblem(
        url,
        options({
          integrationHosts: [host],
          lookup: async () => [{ address: PUBLIC_V4, family: 4 }],
        }),
      );
      expect(refusal?.rule).toBe(expected ? undefined : 'not-readable');
    });
  });

  describe('resolves host names and refuses non-public answers', () => {
    const resolving = (addresses: string[]) =>
      options({ lookup: fakeLookup({ 'github.com': addresses }) });

    it.each([
      [['127.0.0.1'], 'loopback'],
      [['10.1.2.3'], 'private'],
      [['169.254.169.254'], 'link-local'],
      [['100.64.0.1'], 'carrier-grade NAT'],
      [['0.0.0.0'], 'unspecified'],
      [['::1'], 'loopback'],
      [['::ffff:169.254.169.254'], 'IPv4-mapped address of 169.254.169.254'],
      [['fe80::1%eth0'], 'link-local'],
      [['fd00::1'], 'unique-local'],
      [['64:ff9b::a9fe:a9fe'], 'NAT64 address of 169.254.169.254'],
      [['2002:7f00:1::1'], '6to4 address of 127.0.0.1'],
      [['168.63.129.16'], 'Azure'],
      [[PUBLIC_V4, '10.0.0.1'], 'private'],
      [['10.0.0.1', PUBLIC_V4], 'private'],
      [[PUBLIC_V4, PUBLIC_V6, '::1'], 'loopback'],
    ])('%j', async (addresses, words) => {
      const refusal = await locationSafetyProblem(GOOD, resolving(addresses));
      expect(refusal).toMatchObject({ rule: 'address' });
      expect(refusal?.message).toContain("'github.com' resolves to");
      expect(refusal?.message).toContain(words);
    });

    it('resolves the name the catalog will resolve (punycode, trailing dot)', async () => {
      const lookup = fakeLookup({ 'xn--bcher-kva.example.': ['127.0.0.1'] });
      const refusal = await locationSafetyProblem(
        'https://xn--bcher-kva.example./x',
        options({ readingAllow: [{ host: 'xn--bcher-kva.example.' }], lookup }),
      );
      expect(refusal).toMatchObject({ rule: 'address' });
      expect(lookup).toHaveBeenCalledWith('xn--bcher-kva.example.');
    });

    it('refuses when the name does not resolve, naming the error code', async () => {
      const refusal = await locationSafetyProblem(
        GOOD,
        options({ lookup: fakeLookup({}) }),
      );
      expect(refusal).toMatchObject({ rule: 'lookup' });
      expect(refusal?.message).toContain('ENOTFOUND');
    });

    it.each([
      [
        'throws synchronously',
        (() => {
          throw new Error('boom');
        }) as unknown as LocationSafetyOptions['lookup'],
      ],
      ['rejects with a non-error', () => Promise.reject('nope')],
      [
        'rejects with a strange code',
        () =>
          Promise.reject(
            Object.assign(new Error('x'), { code: 'a b'.repeat(50) }),
          ),
      ],
      ['answers no address', async () => []],
      [
        'answers something that is not a list',
        async () => 'nope' as unknown as LookupAddress[],
      ],
      [
        'answers an address that is not an IP',
        async () => [{ address: 'example.com', family: 4 }],
      ],
      [
        'answers entries without an address',
        async () => [null, {}] as unknown as LookupAddress[],
      ],
    ])('refuses when the lookup %s', async (_, lookup) => {
      const refusal = await locationSafetyProblem(GOOD, options({ lookup }));
      expect(refusal).toMatchObject({ rule: 'lookup' });
      expect(refusal!.message.length).toBeLessThan(300);
    });

    it('refuses when the lookup hangs, after the time limit', async () => {
      const started = Date.now();
      const refusal = await locationSafetyProblem(
        GOOD,
        options({ lookup: () => new Promise(() => {}), lookupTimeoutMs: 20 }),
      );
      expect(refusal).toMatchObject({ rule: 'lookup' });
      expect(refusal?.message).toContain('within 20 ms');
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('refuses when the lookup answers only after the time limit', async () => {
      const refusal = await locationSafetyProblem(
        GOOD,
        options({
          lookup: () =>
            new Promise(resolve =>
              setTimeout(
                () => resolve([{ address: PUBLIC_V4, family: 4 }]),
                200,
              ),
            ),
          lookupTimeoutMs: 20,
        }),
      );
      expect(refusal).toMatchObject({ rule: 'lookup' });
    });
  });

  describe('allowedHosts', () => {
    const internal = (
      url: string,
      allowedHosts: string[],
      lookup = fakeLookup({
        'ghe.corp.example.com': ['10.1.1.1'],
        'git.corp.example.com': ['10.1.1.2'],
        'corp.example.com': ['10.1.1.3'],
        'evilcorp.example.com': ['10.1.1.4'],
      }),
    ) =>
      locationSafetyProblem(
        url,
        options({
          allowedHosts,
          lookup,
          // Integration hosts match IPv6 literals; reading.allow never does.
          integrationHosts: [new URL(url).host],
        }),
      );

    it.each([
      ['http://10.0.0.5/x', ['10.0.0.5']],
      ['http://10.0.0.5:8080/x', ['10.0.0.5:8080']],
      ['http://127.0.0.1:7007/x', ['127.0.0.1']],
      ['http://[fd00::1]/x', ['[fd00::1]']],
      ['http://[fd00::1]/x', ['fd00::1']],
      ['http://[fd00::1]/x', ['FD00:0:0:0:0:0:0:1']],
      ['https://[fd00::1]:8443/x', ['[fd00::1]:8443']],
      ['http://localhost:7007/x', ['localhost']],
      ['https://ghe.corp.example.com/x', ['ghe.corp.example.com']],
      ['https://ghe.corp.example.com/x', ['GHE.Corp.Example.COM.']],
      ['https://ghe.corp.example.com/x', ['  ghe.corp.example.com ']],
      ['https://ghe.corp.example.com/x', ['ghe.corp.example.com:443']],
      ['http://ghe.corp.example.com/x', ['ghe.corp.example.com:80']],
      ['https://git.corp.example.com/x', ['*.corp.example.com']],
      ['https://git.corp.example.com/x', ['*.example.com']],
      [
        'https://git.corp.example.com/x',
        ['other.example.com', '*.corp.example.com'],
      ],
    ])('exempt %s with %j', async (url, allowedHosts) => {
      await expect(internal(url, allowedHosts)).resolves.toBeUndefined();
    });

    it('does not resolve an allowed name at all', async () => {
      const lookup = fakeLookup();
      await expect(
        internal(
          'https://ghe.corp.example.com/x',
          ['ghe.corp.example.com'],
          lookup,
        ),
      ).resolves.toBeUndefined();
      expect(lookup).not.toHaveBeenCalled();
    });

    it.each([
      ['http://10.0.0.6/x', ['10.0.0.5'], 'address'],
      ['http://10.0.0.5/x', ['10.0.0.5:8080'], 'address'],
      ['http://10.0.0.5:8080/x', ['10.0.0.5:8081'], 'address'],
      ['http://[::ffff:10.0.0.5]/x', ['10.0.0.5'], 'address'],
      ['http://10.0.0.5/x', ['[::ffff:10.0.0.5]'], 'address'],
      ['http://[fd00::2]/x', ['[fd00::1]'], 'address'],
      ['http://127.0.0.1/x', ['localhost'], 'address'],
      ['http://localhost/x', ['127.0.0.1'], 'host-name'],
      ['https://corp.example.com/x', ['*.corp.example.com'], 'address'],
      ['https://evilcorp.example.com/x', ['*.corp.example.com'], 'address'],
      [
        'https://ghe.corp.example.com/x',
        ['ghe.corp.example.com:8443'],
        'address',
      ],
      ['https://ghe.corp.example.com/x', ['git.corp.example.com'], 'address'],
      ['https://ghe.corp.example.com/x', ['ghe.corp'], 'address'],
      ['https://ghe.corp.example.com/x', ['*'], 'address'],
      ['https://ghe.corp.example.com/x', ['**.example.com'], 'address'],
      [
        'https://ghe.corp.example.com/x',
        ['https://ghe.corp.example.com'],
        'address',
      ],
      ['https://ghe.corp.example.com/x', ['ghe.*.example.com'], 'address'],
      ['https://ghe.corp.example.com/x', ['ghe.corp.example.com:0'], 'address'],
      ['https://ghe.corp.example.com/x', [''], 'address'],
    ])('does not exempt %s with %j', async (url, allowedHosts, rule) => {
      expect(await internal(url, allowedHosts)).toMatchObject({ rule });
    });

    it.each([
      ['file://127.0.0.1/etc/passwd', 'scheme'],
      ['gopher://127.0.0.1:6379/_FLUSHALL', 'scheme'],
      ['http://user:pass@127.0.0.1/', 'credentials'],
      ['http://127.0.0.1/\tx', 'characters'],
      ['http://0x7f.0.0.1/', 'host-spelling'],
      ['http://2130706433/', 'host-spelling'],
      ['http://127.0.0.1/a/../b', 'path'],
    ])('does not exempt %s from the other checks', async (url, rule) => {
      expect(
        await locationSafetyProblem(
          url,
          options({
            allowedHosts: ['127.0.0.1'],
            readingAllow: [{ host: '127.0.0.1' }],
          }),
        ),
      ).toMatchObject({ rule });
    });

    it('does not make a host readable', async () => {
      expect(
        await locationSafetyProblem(
          'http://10.0.0.5/x',
          options({
            allowedHosts: ['10.0.0.5'],
            integrationHosts: [],
            readingAllow: [],
          }),
        ),
      ).toMatchObject({ rule: 'not-readable' });
    });

    it('names the configured key in refusals', async () => {
      const refusal = await locationSafetyProblem(
        'http://10.0.0.5/x',
        options({ allowedHostsKey: 'custom.key' }),
      );
      expect(refusal?.message).toContain('custom.key');
    });
  });

  describe('messages', () => {
    it.each([
      `${'x'.repeat(1500)}://github.com/`,
      `https://${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.example.com/`,
      `https://${`${'a'.repeat(50)}.`.repeat(6)}example.com/`,
      `http://${'1'.repeat(1500)}/`,
      `https://%67${'a'.repeat(1500)}.com/`,
    ])('repeat at most ~100 characters of input: %#', async url => {
      const refusal = await locationSafetyProblem(url, options());
      expect(refusal).toBeDefined();
      expect(refusal!.message).not.toMatch(/(.)\1{100}/);
      expect(refusal!.message.length).toBeLessThan(400);
    });

    it('say what is wrong and what an administrator can do', async () => {
      expect(
        await locationSafetyProblem('http://127.0.0.1/', options()),
      ).toEqual({
        code: 'location-unsafe',
        rule: 'address',
        message:
          "Location URL host '127.0.0.1' is a loopback address; the gateway registers only public addresses (an administrator can allow a host in mcpGateway.locationHosts.allow)",
      });
    });
  });
});
