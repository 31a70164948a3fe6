import { ConfigReader } from '@backstage/config';
import { locationSafetyProblem } from './locationSafety';
import { locationSafetyOptionsFrom } from './locationSafetyConfig';

describe('locationSafetyOptionsFrom', () => {
  it('reads backend.reading.allow and the default integration hosts', () => {
    const read = locationSafetyOptionsFrom(
      new ConfigReader({
        backend: {
          reading: {
            allow: [
              { host: 'docs.example.com' },
              { host: '*.example.org:8443', paths: ['/a/', '/b'] },
            ],
          },
        },
      }),
      ['ghe.corp.example.com'],
    );
    expect(read.allowedHosts).toEqual(['ghe.corp.example.com']);
    expect(read.readingAllow).toEqual([
      { host: 'docs.example.com', paths: undefined },
      { host: '*.example.org:8443', paths: ['/a/', '/b'] },
    ]);
    expect([...read.integrationHosts].sort()).toEqual(
      ['bitbucket.org', 'dev.azure.com', 'github.com', 'gitlab.com'].sort(),
    );
  });

  it('reads the hosts of configured integrations', () => {
    const read = locationSafetyOptionsFrom(
      new ConfigReader({
        integrations: {
          github: [{ host: 'ghe.example.com' }, { host: 'github.com' }],
          gitlab: [{ host: 'gitlab.example.com:8443' }],
          bitbucketServer: [{ host: 'bitbucket.example.com' }],
          azure: [{ host: 'tfs.example.com' }],
          gitea: [{ host: 'gitea.example.com' }],
          harness: [{ host: 'harness.example.com' }],
          gerrit: [
            {
              host: 'gerrit.example.com',
              gitilesBaseUrl: 'https://gitiles.example.com/gitiles',
            },
            { host: 'broken.example.com', gitilesBaseUrl: 'not a url' },
          ],
          googleGcs: {},
        },
      }),
      [],
    );
    expect([...read.integrationHosts].sort()).toEqual(
      [
        'bitbucket.example.com',
        'bitbucket.org',
        'dev.azure.com',
        'ghe.example.com',
        'gitea.example.com',
        'github.com',
        'gitiles.example.com',
        'gitlab.com',
        'gitlab.example.com:8443',
        'harness.example.com',
        'storage.cloud.google.com',
        'tfs.example.com',
      ].sort(),
    );
    expect(read.readingAllow).toEqual([]);
  });

  it('gives options the check uses as Backstage would read', async () => {
    const config = new ConfigReader({
      backend: {
        reading: { allow: [{ host: '*.example.com', paths: ['/catalog/'] }] },
      },
      integrations: { gitlab: [{ host: 'gitlab.corp.example.com' }] },
    });
    const addresses: Record<string, string> = {
      'docs.example.com': '140.82.112.3',
      'gitlab.corp.example.com': '10.0.0.7',
    };
    const lookup = async (hostname: string) => [
      { address: addresses[hostname], family: 4 },
    ];
    const check = (url: string, allowed: string[] = []) =>
      locationSafetyProblem(url, {
        ...locationSafetyOptionsFrom(config, allowed),
        lookup,
      });

    await expect(
      check('https://docs.example.com/catalog/x.yaml'),
    ).resolves.toBeUndefined();
    expect(await check('https://docs.example.com/other/x.yaml')).toMatchObject({
      rule: 'not-readable',
    });
    expect(
      await check('https://gitlab.corp.example.com/g/r/-/raw/x.yaml'),
    ).toMatchObject({
      rule: 'address',
    });
    await expect(
      check('https://gitlab.corp.example.com/g/r/-/raw/x.yaml', [
        'gitlab.corp.example.com',
      ]),
    ).resolves.toBeUndefined();
  });
});
