import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { AgentConfig, PrincipalMatcher } from '../config/gatewayConfig';

export interface AgentMatch {
  agent: AgentConfig;
  /** Absent when the caller got `mcpGateway.defaultAgent`. */
  matchedBy?: PrincipalMatcher;
}

type MatcherKind = 'service' | 'actor' | 'user' | 'group';

/**
 * Finds the agent a caller is. Precedence is fixed and documented: for a user
 * principal, an `actor` match wins over a `user` match, which wins over a
 * `group` match; among several matching groups, the agent listed first
 * wins. A service principal matches by `service` only. Config validation
 * guarantees a principal is claimed by at most one agent, so the answer is
 * deterministic.
 */
export class AgentDirectory {
  private readonly index = new Map<string, AgentMatch>();
  /** Group matchers in config order: the first agent listed wins. */
  private readonly groups: Array<{ ref: string; match: AgentMatch }> = [];

  constructor(
    agents: AgentConfig[],
    private readonly userInfo: UserInfoService,
    private readonly defaultAgent?: AgentConfig,
  ) {
    for (const agent of agents) {
      for (const matchedBy of agent.principals) {
        const [kind, value] = Object.entries(matchedBy)[0] as [
          MatcherKind,
          string,
        ];
        this.index.set(key(kind, value), { agent, matchedBy });
        if (kind === 'group') {
          this.groups.push({
            ref: value.toLowerCase(),
            match: { agent, matchedBy },
          });
        }
      }
    }
  }

  /** The caller's agent; `mcpGateway.defaultAgent` when none claims it. */
  async match(
    credentials: BackstageCredentials<
      BackstageUserPrincipal | BackstageServicePrincipal
    >,
  ): Promise<AgentMatch | undefined> {
    const match = await this.matchConfigured(credentials);
    return match ?? (this.defaultAgent && { agent: this.defaultAgent });
  }

  private async matchConfigured(
    credentials: BackstageCredentials<
      BackstageUserPrincipal | BackstageServicePrincipal
    >,
  ): Promise<AgentMatch | undefined> {
    const principal = credentials.principal;
    if (principal.type === 'service') {
      return this.index.get(key('service', principal.subject));
    }
    const direct =
      (principal.actor &&
        this.index.get(key('actor', principal.actor.subject))) ||
      this.index.get(key('user', principal.userEntityRef));
    if (direct || this.groups.length === 0) {
      return direct;
    }
    const { ownershipEntityRefs } =
      await this.userInfo.getUserInfo(credentials);
    const memberOf = new Set(ownershipEntityRefs.map(r => r.toLowerCase()));
    return this.groups.find(group => memberOf.has(group.ref))?.match;
  }
}

function key(kind: MatcherKind, value: string) {
  // Service subjects are case-sensitive; entity refs and plugin ids are not.
  return `${kind} ${kind === 'service' ? value : value.toLowerCase()}`;
}
