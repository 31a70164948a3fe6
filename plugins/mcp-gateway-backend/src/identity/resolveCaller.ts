import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { Request } from 'express';
import { AgentDirectory } from './agentDirectory';
import { Caller } from '../core/caller';

/**
 * The identity stage: Backstage credentials -> the agent, on behalf of which
 * user, through which plugin. Unauthenticated and unknown callers stop here.
 */
export class CallerResolver {
  constructor(
    private readonly httpAuth: HttpAuthService,
    /** The directory of the config in force (it changes when config reloads). */
    private readonly directory: () => AgentDirectory,
  ) {}

  async resolve(req: Request): Promise<Caller> {
    const credentials = await this.httpAuth
      .credentials(req, { allow: ['user', 'service', 'none'] })
      .catch(error => {
        // A valid token that may not reach this plugin: Backstage says why.
        if (error instanceof NotAllowedError) throw error;
        // Otherwise Backstage's reason may describe the token; ours does not.
        throw new AuthenticationError(
          'Invalid or expired credentials: the token was not accepted by Backstage',
        );
      });
    if (credentials.principal.type === 'none') {
      throw new AuthenticationError(
        'Missing credentials: send a Backstage token as "Authorization: Bearer <token>"',
      );
    }
    const authenticated = credentials as BackstageCredentials<
      BackstageUserPrincipal | BackstageServicePrincipal
    >;
    const principal = authenticated.principal;
    const described =
      principal.type === 'user'
        ? {
            principal: principal.userEntityRef,
            principalType: 'user' as const,
            user: principal.userEntityRef,
            actor: principal.actor?.subject,
          }
        : { principal: principal.subject, principalType: 'service' as const };

    const match = await this.directory().match(authenticated);
    if (!match) {
      const via =
        'actor' in described && described.actor
          ? ` via ${described.actor}`
          : '';
      throw new NotAllowedError(
        `No MCP gateway agent is configured for ${described.principalType} principal '${described.principal}'${via}. An administrator can add it to mcpGateway.agents.`,
      );
    }
    return { ...described, ...match, credentials: authenticated };
  }
}
