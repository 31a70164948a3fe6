import { AdminActionDeps, bodyFields } from './adminActionDeps';
import { AdminFailure } from './adminFailure';
import { killSwitchBody, parseRequest } from './adminRequests';
import { AdminAction } from './adminRoute';
import { GATEWAY_TARGET } from '../control/controlSwitches';
import { killSwitchOf } from './agentOverview';

/** `GET kill-switch`: engaged or not, where, why, by whom and when. */
export function getKillSwitch({
  config,
  stores,
}: AdminActionDeps): AdminAction<void> {
  return {
    name: 'GET kill-switch',
    prepare: () => undefined,
    run: async () => ({
      json: killSwitchOf(config().killSwitch, await stores.switches.readAll()),
    }),
  };
}

/**
 * `POST kill-switch` `{ engaged, reason }`: stops (or restarts) every agent
 * at once. One engaged in app-config can only be released there.
 */
export function setKillSwitch({
  config,
  stores,
  logger,
}: AdminActionDeps): AdminAction<{ engaged: boolean; reason?: string }> {
  return {
    name: 'POST kill-switch',
    changesState: true,
    readsBody: true,
    audited: req => bodyFields(req, ['engaged', 'reason']),
    prepare(req) {
      const body = parseRequest(killSwitchBody, req.body, 'body');
      if (!body.engaged && config().killSwitch) {
        throw new AdminFailure(
          409,
          'The kill switch is engaged in app-config (mcpGateway.killSwitch: true), which the admin API cannot override. Change the config to release it.',
          { code: 'engaged-in-config' },
        );
      }
      return body;
    },
    async run({ engaged, reason }, { caller }) {
      const change = await stores.switches.set({
        target: GATEWAY_TARGET,
        off: engaged,
        ...(reason !== undefined && { reason }),
        changedBy: caller.principal,
      });
      stores.control.apply(change);
      logger.info(
        `MCP gateway kill switch ${engaged ? 'engaged' : 'released'} by ${caller.principal}${reason ? `: ${reason}` : ''}`,
      );
      return { json: killSwitchOf(config().killSwitch, [change]) };
    },
  };
}
