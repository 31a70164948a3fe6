import { serviceCaller, userCredentials } from '../__testUtils__/unitDoubles';
import { ConfigReader } from '@backstage/config';
import { readGatewayConfig } from '../config/gatewayConfig';
import { Operation } from '../core/operation';
import { GatewayRefusal } from '../core/refusal';
import { AgentEnabledGate } from './agentEnabledGate';

const callerOf = serviceCaller;

const operations: Operation[] = [
  { kind: 'tool', name: 'get_entity', access: 'read', source: 'gateway' },
  { kind: 'tool', name: 'register', access: 'write', source: 'gateway' },
  { kind: 'resource', name: 'catalog://x', access: 'read', source: 'gateway' },
];

describe('AgentEnabledGate', () => {
  const gate = new AgentEnabledGate();

  it('is the control stage and decides listings and calls alike', () => {
    expect(gate.stage).toBe('control');
    expect(gate.appliesTo).toBe('both');
  });

  it('refuses every operation of a disabled agent, naming the config key', async () => {
    const caller = callerOf({
      id: 'sleepy',
      enabled: false,
      tools: { allow: ['*'] },
    });
    const decisions = await gate.decide(caller, operations);
    expect(decisions).toHaveLength(operations.length);
    for (const refusal of decisions) {
      expect(refusal).toBeInstanceOf(GatewayRefusal);
      expect(refusal).toMatchObject({
        stage: 'control',
        code: 'agent-disabled',
      });
      expect(refusal!.message).toBe(
        "Agent 'sleepy' is disabled (mcpGateway.agents[sleepy].enabled: false).",
      );
    }
  });

  it('names the default agent by its own config key', async () => {
    const { defaultAgent } = readGatewayConfig(
      new ConfigReader({ mcpGateway: { defaultAgent: { enabled: false } } }),
    );
    const [refusal] = await gate.decide(
      {
        agent: defaultAgent!,
        principal: 'user:default/alice',
        principalType: 'user',
        credentials: userCredentials('user:default/alice'),
      },
      operations.slice(0, 1),
    );
    expect(refusal?.message).toBe(
      "Agent 'default' is disabled (mcpGateway.defaultAgent.enabled: false).",
    );
  });

  it('lets every operation of an enabled agent pass', async () => {
    const caller = callerOf({ id: 'awake', tools: { allow: ['*'] } });
    expect(caller.agent.enabled).toBe(true);
    expect(await gate.decide(caller, operations)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('answers an empty batch with no decisions', async () => {
    const caller = callerOf({ id: 'sleepy', enabled: false });
    expect(await gate.decide(caller, [])).toEqual([]);
  });
});
