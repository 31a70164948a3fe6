import { ConfigReader } from '@backstage/config';
import { readGatewayConfig } from '../config/gatewayConfig';
import { agentStateOf, killSwitchOf } from './agentOverview';
import { ControlSwitch } from './adminStores';

const [agent] = readGatewayConfig(
  new ConfigReader({
    mcpGateway: { agents: [{ id: 'copilot', principals: [{ service: 's' }] }] },
  }),
).agents;

const stop: ControlSwitch = {
  target: '*',
  off: true,
  reason: 'incident 42',
  changedBy: 'user:default/alice',
  changedAt: '2026-11-21T10:00:00.000Z',
};

describe('agentStateOf', () => {
  it('says a replica that cannot read the switches refuses everything', () => {
    expect(agentStateOf(agent, { state: 'unavailable' }, [])).toEqual({
      state: 'unavailable',
      reason:
        'The kill switch state cannot be read, so this replica refuses every call until it can.',
    });
  });

  it('names the gateway switch behind a stop, not the agent switch', () => {
    const ownEnable: ControlSwitch = {
      ...stop,
      target: 'copilot',
      off: false,
      reason: 'fixed',
      changedAt: '2026-11-21T09:00:00.000Z',
    };
    expect(
      agentStateOf(
        agent,
        { state: 'gateway-stopped', by: 'user:default/alice' },
        [ownEnable, stop],
      ),
    ).toEqual({
      state: 'stopped',
      reason: 'incident 42',
      by: 'user:default/alice',
      changedAt: '2026-11-21T10:00:00.000Z',
    });
  });

  it('says a stop by config comes from mcpGateway.killSwitch', () => {
    expect(
      agentStateOf(agent, { state: 'gateway-stopped', by: 'config' }, [stop]),
    ).toEqual({
      state: 'stopped',
      reason: 'mcpGateway.killSwitch is true in app-config',
      by: 'config',
    });
  });

  it('shows a running agent as running, with no switch to name', () => {
    expect(agentStateOf(agent, { state: 'running' }, [stop])).toEqual({
      state: 'running',
    });
  });
});

describe('killSwitchOf', () => {
  it('shows the last release: not engaged, by whom and when', () => {
    expect(
      killSwitchOf(false, [{ ...stop, off: false, reason: undefined }]),
    ).toEqual({
      engaged: false,
      by: 'user:default/alice',
      changedAt: '2026-11-21T10:00:00.000Z',
    });
  });

  it('lets config win over a run-time release', () => {
    expect(killSwitchOf(true, [{ ...stop, off: false }])).toMatchObject({
      engaged: true,
      source: 'config',
    });
  });
});
