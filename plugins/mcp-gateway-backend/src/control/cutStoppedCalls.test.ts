import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { fakeLogger } from '../__testUtils__/unitDoubles';
import { agent } from '../config/__fixtures__/agents';
import { AgentConfig } from '../config/gatewayConfig';
import { LiveGatewayConfig } from '../config/liveGatewayConfig';
import { ControlChange } from './controlState';
import { ControlVerdict } from './controlVerdict';
import { cutStoppedCalls } from './cutStoppedCalls';
import { InFlightCalls } from './inFlightCalls';

const copilot = agent();
const bot = agent({ id: 'bot', principals: [{ service: 'bot' }] });

function setup(mcpGateway: JsonObject) {
  const root = mockServices.rootConfig({ data: { mcpGateway } });
  const config = LiveGatewayConfig.watch(root, fakeLogger());
  const runtime = new Set<string>();
  let announce: (change: ControlChange) => void = () => {};
  // The verdict as ControlState gives it: config first, then run-time switches.
  const state = {
    verdict(a: AgentConfig): ControlVerdict {
      if (config.current().killSwitch)
        return { state: 'gateway-stopped', by: 'config' };
      if (!a.enabled) return { state: 'agent-disabled', by: 'config' };
      if (runtime.has(a.id))
        return { state: 'agent-disabled', by: 'user:default/ops' };
      return { state: 'running' };
    },
    onChange(listener: (change: ControlChange) => void) {
      announce = listener;
      return () => {
        announce = () => {};
      };
    },
  };
  const calls = new InFlightCalls();
  const unsubscribe = cutStoppedCalls({ state, config, calls });
  const running = (agentId: string) =>
    calls.track(agentId, new AbortController().signal).signal;
  return {
    calls,
    running,
    unsubscribe,
    reload: (next: JsonObject) => root.update({ data: { mcpGateway: next } }),
    disableAtRunTime(agentId: string) {
      runtime.add(agentId);
      announce({
        stoppedAgents: [agentId],
        gatewayStopped: false,
        switchedAgents: [agentId],
        gatewaySwitched: false,
      });
    },
  };
}

const reasonOf = (signal: AbortSignal) => (signal.reason as Error).message;

describe('cutStoppedCalls', () => {
  it('cuts the calls of an agent disabled at run time, with its refusal', () => {
    const { running, disableAtRunTime } = setup({ agents: [copilot, bot] });
    const copilotCall = running('incident-copilot');
    const botCall = running('bot');

    disableAtRunTime('incident-copilot');

    expect(reasonOf(copilotCall)).toBe(
      "Agent 'incident-copilot' was disabled by user:default/ops.",
    );
    expect(botCall.aborted).toBe(false);
  });

  it('cuts the calls of an agent a config reload disables', () => {
    const { running, reload } = setup({ agents: [copilot, bot] });
    const copilotCall = running('incident-copilot');
    const botCall = running('bot');

    reload({ agents: [{ ...copilot, enabled: false }, bot] });

    expect(reasonOf(copilotCall)).toBe(
      "Agent 'incident-copilot' is disabled (mcpGateway.agents[incident-copilot].enabled: false).",
    );
    expect(botCall.aborted).toBe(false);
  });

  it('cuts every call when a config reload engages the kill switch', () => {
    const { running, reload } = setup({ agents: [copilot, bot] });
    const calls = [running('incident-copilot'), running('bot')];

    reload({ agents: [copilot, bot], killSwitch: true });

    expect(calls.map(reasonOf)).toEqual([
      'The MCP gateway is stopped by its kill switch (mcpGateway.killSwitch: true).',
      'The MCP gateway is stopped by its kill switch (mcpGateway.killSwitch: true).',
    ]);
  });

  it('cuts the calls of an agent removed from the config', () => {
    const { running, reload } = setup({ agents: [copilot, bot] });
    const botCall = running('bot');

    reload({ agents: [copilot] });

    expect(reasonOf(botCall)).toBe(
      "Agent 'bot' was removed from the MCP gateway configuration (mcpGateway.agents[bot]).",
    );
  });

  it('lets calls finish under a policy that merely changed, or an agent already off', () => {
    const { running, reload } = setup({
      agents: [copilot, { ...bot, enabled: false }],
    });
    const calls = [running('incident-copilot'), running('bot')];

    reload({
      agents: [
        { ...copilot, tools: { allow: ['who_am_i'] } },
        { ...bot, enabled: false, description: 'still off' },
      ],
    });

    expect(calls.map(call => call.aborted)).toEqual([false, false]);
  });

  it('cuts nothing once unsubscribed', () => {
    const { running, reload, disableAtRunTime, unsubscribe } = setup({
      agents: [copilot, bot],
    });
    const call = running('incident-copilot');
    unsubscribe();

    disableAtRunTime('incident-copilot');
    reload({ agents: [bot] });

    expect(call.aborted).toBe(false);
  });
});
