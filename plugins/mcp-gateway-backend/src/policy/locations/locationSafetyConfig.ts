import { Config } from '@backstage/config';
import { LocationSafetyOptions } from './locationSafety';

/** The integrations whose readers match a host exactly, and the host Backstage adds for each by default. */
const HOST_INTEGRATIONS: Record<string, string | undefined> = {
  github: 'github.com',
  gitlab: 'gitlab.com',
  azure: 'dev.azure.com',
  bitbucketServer: undefined,
  gitea: undefined,
  harness: undefined,
};

/**
 * The options from Backstage config: `backend.reading.allow`, and the
 * hosts of the integrations whose readers match a host exactly, with the
 * defaults Backstage adds (github.com, gitlab.com, dev.azure.com,
 * bitbucket.org). Integrations matched by host suffix (awsS3,
 * azureBlobStorage, awsCodeCommit) are not listed: such locations need a
 * `backend.reading.allow` entry to pass.
 */
export function locationSafetyOptionsFrom(
  config: Config,
  allowedHosts: readonly string[],
): LocationSafetyOptions {
  const readingAllow = (
    config.getOptionalConfigArray('backend.reading.allow') ?? []
  ).map(entry => ({
    host: entry.getString('host'),
    paths: entry.getOptionalStringArray('paths'),
  }));
  return {
    allowedHosts,
    readingAllow,
    integrationHosts: integrationHostsFrom(config),
  };
}

function integrationHostsFrom(config: Config): string[] {
  const hosts = new Set<string>(['bitbucket.org']);
  for (const [provider, fallback] of Object.entries(HOST_INTEGRATIONS)) {
    if (fallback) hosts.add(fallback);
    for (const entry of config.getOptionalConfigArray(
      `integrations.${provider}`,
    ) ?? []) {
      const host = entry.getOptionalString('host');
      if (host) hosts.add(host);
    }
  }
  // Gerrit's reader matches the host of its Gitiles URL.
  for (const entry of config.getOptionalConfigArray('integrations.gerrit') ??
    []) {
    const gitiles = entry.getOptionalString('gitilesBaseUrl');
    if (!gitiles) continue;
    try {
      hosts.add(new URL(gitiles).host);
    } catch {
      // Backstage refuses such a config at startup.
    }
  }
  if (config.has('integrations.googleGcs')) {
    hosts.add('storage.cloud.google.com');
  }
  return [...hosts];
}
