import { ConfigReader } from '@backstage/config';
import { readGatewayConfig } from '../config/gatewayConfig';
import { agent } from '../config/__fixtures__/agents';
import { fakeLogger } from '../__testUtils__/unitDoubles';
import { warnAboutPatternsMatchingNothing } from './patternWarnings';

const policiesOf = (...agents: object[]) =>
  readGatewayConfig(new ConfigReader({ mcpGateway: { agents } })).policies;

describe('warnAboutPatternsMatchingNothing', () => {
  it('names every pattern that matches nothing the gateway serves, by its key', () => {
    const logger = fakeLogger();
    warnAboutPatternsMatchingNothing(
      policiesOf(
        agent({
          tools: { allow: ['get_entity', 'get_entitty'], deny: ['list_*'] },
          resources: { allow: ['entity', 'techdoc'] },
          prompts: { allow: ['incident_*', 'onbaording'] },
        }),
      ),
      logger,
    );
    expect(logger.warn.mock.calls.map(([message]) => message)).toEqual([
      "mcpGateway.agents[incident-copilot].tools.allow pattern 'get_entitty' matches no tool this gateway serves",
      "mcpGateway.agents[incident-copilot].resources.allow pattern 'techdoc' matches no resource this gateway serves",
      "mcpGateway.agents[incident-copilot].prompts.allow pattern 'onbaording' matches no prompt this gateway serves",
    ]);
  });

  it('leaves patterns for actions alone while actions are on, and says why they match nothing while off', () => {
    const policies = policiesOf(
      agent({ tools: { allow: ['action_catalog_*', 'get_entity'] } }),
    );
    const on = fakeLogger();
    warnAboutPatternsMatchingNothing(policies, on, { actionsEnabled: true });
    expect(on.warn).not.toHaveBeenCalled();
    const off = fakeLogger();
    warnAboutPatternsMatchingNothing(policies, off);
    expect(off.warn.mock.calls.map(([message]) => message)).toEqual([
      "mcpGateway.agents[incident-copilot].tools.allow pattern 'action_catalog_*' matches no tool this gateway serves (mcpGateway.actions.enabled is false)",
    ]);
  });

  it('is quiet about the demo-style policies that match', () => {
    const logger = fakeLogger();
    warnAboutPatternsMatchingNothing(
      policiesOf(agent({ resources: { allow: ['*'] } })),
      logger,
    );
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
