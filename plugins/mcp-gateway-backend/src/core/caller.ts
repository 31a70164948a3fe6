import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { AgentConfig, PrincipalMatcher } from '../config/gatewayConfig';

/** Who is calling: resolved once per HTTP request by the identity stage. */
export interface Caller {
  agent: AgentConfig;
  /** The principal as Backstage authenticated it: a user ref or a service subject. */
  principal: string;
  principalType: 'user' | 'service';
  /** The signed-in user the call is made for, if any. */
  user?: string;
  /** The plugin calling on behalf of `user` (e.g. Portal's AI chat), if any. */
  actor?: string;
  /** Which configured principal matched; absent for the default agent. */
  matchedBy?: PrincipalMatcher;
  /** Passed to every downstream call, so Backstage decides as it would for the caller. */
  credentials: BackstageCredentials;
}
