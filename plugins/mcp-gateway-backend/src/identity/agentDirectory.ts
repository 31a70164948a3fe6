import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { AgentConfig, PrincipalMatcher } from '../config/gatewayConfig';

export interface AgentMatch {
  agent: AgentConfig;
  matchedBy: PrincipalMatcher;
}

type MatcherKind = 'service' | 'actor' | 'user' | 'group';

/**
 * Finds the agent a caller is. Precedence is fixed and documented: for a user
 * principal, an `actor` match wins over a `user` match, which wins over a
 * `group` match; a service principal matches by `service` only. Config
 * validation guarantees a principal is claimed by at most one agent, so the
 * answer is deterministic.
 */
export class AgentDirectory {
  private readonly index = new Map<string, AgentMatch>();
  private readonly hasGroups: boolean;

  constructor(
    readonly agents: AgentConfig[],
    private readonly userInfo: UserInfoService,
  ) {
    for (const agent of agents) {
      for (const matchedBy of agent.principals) {
        const [kind, value] = Object.entries(matchedBy)[0] as [
          MatcherKind,
          string,
        ];
        this.index.set(key(kind, value), { agent, matchedBy });
      }
    }
    this.hasGroups = agents.some(a => a.principals.some(p => 'group' in p));
  }

  async match(
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
    if (direct || !this.hasGroups) {
      return direct;
    }
    const { ownershipEntityRefs } =
      await this.userInfo.getUserInfo(credentials);
    for (const ref of [...ownershipEntityRefs].sort()) {
      const match = this.index.get(key('group', ref));
      if (match) {
        return match;
      }
    }
    return undefined;
  }
}

function key(kind: MatcherKind, value: string) {
  // Service subjects are case-sensitive; entity refs and plugin ids are not.
  return `${kind} ${kind === 'service' ? value : value.toLowerCase()}`;
}
