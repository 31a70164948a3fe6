import { serviceCaller } from '../__testUtils__/unitDoubles';
import { Operation, OperationAccess } from '../core/operation';
import { GatewayRefusal } from '../core/refusal';
import { OperationPolicyGate } from './operationPolicyGate';

const callerOf = serviceCaller;

const tool = (name: string, access: OperationAccess = 'read'): Operation => ({
  kind: 'tool',
  name,
  access,
  source: 'gateway',
});

const resource = (name: string): Operation => ({
  kind: 'resource',
  name,
  access: 'read',
  source: 'gateway',
});

const prompt = (name: string): Operation => ({
  kind: 'prompt',
  name,
  access: 'read',
  source: 'gateway',
});

describe('OperationPolicyGate', () => {
  const gate = new OperationPolicyGate();

  it('is the policy stage and decides listings and calls alike', () => {
    expect(gate.stage).toBe('policy');
    expect(gate.appliesTo).toBe('both');
  });

  it('lets a read tool an allow pattern names pass', async () => {
    const caller = callerOf({ id: 'reader', tools: { allow: ['get_*'] } });
    expect(await gate.decide(caller, [tool('get_entity')])).toEqual([
      undefined,
    ]);
  });

  it('refuses a tool no allow pattern names (closed by default)', async () => {
    const caller = callerOf({ id: 'reader', tools: { allow: ['get_*'] } });
    const [refusal] = await gate.decide(caller, [tool('list_entities')]);
    expect(refusal).toBeInstanceOf(GatewayRefusal);
    expect(refusal).toMatchObject({
      stage: 'policy',
      code: 'tool-not-allowed',
    });
    expect(refusal!.message).toBe(
      "Agent 'reader' may not call tool 'list_entities' (refused by mcpGateway.agents[reader].tools.allow (no pattern matches)).",
    );
  });

  it('refuses every tool of an agent with no tools.allow at all', async () => {
    const caller = callerOf({ id: 'bare' });
    const [refusal] = await gate.decide(caller, [tool('get_entity')]);
    expect(refusal?.code).toBe('tool-not-allowed');
  });

  it('lets deny win over allow, naming the deny pattern', async () => {
    const caller = callerOf({
      id: 'reader',
      tools: { allow: ['*'], deny: ['get_secret*'] },
    });
    const decisions = await gate.decide(caller, [
      tool('get_secrets'),
      tool('get_entity'),
    ]);
    expect(decisions[0]).toMatchObject({
      stage: 'policy',
      code: 'tool-not-allowed',
      message:
        "Agent 'reader' may not call tool 'get_secrets' (refused by mcpGateway.agents[reader].tools.deny pattern 'get_secret*').",
    });
    expect(decisions[1]).toBeUndefined();
  });

  it('refuses write and destructive tools to a read-only agent, whatever tools.allow says', async () => {
    const caller = callerOf({ id: 'reader', tools: { allow: ['*'] } });
    expect(caller.agent.readOnly).toBe(true);
    const decisions = await gate.decide(caller, [
      tool('get_entity', 'read'),
      tool('register_location', 'write'),
      tool('unregister_entity', 'destructive'),
    ]);
    expect(decisions[0]).toBeUndefined();
    expect(decisions[1]).toMatchObject({
      stage: 'policy',
      code: 'tool-not-allowed',
      message:
        "Agent 'reader' may not call tool 'register_location' (refused by mcpGateway.agents[reader].readOnly (write tools need readOnly: false)).",
    });
    expect(decisions[2]).toMatchObject({
      stage: 'policy',
      code: 'tool-not-allowed',
      message:
        "Agent 'reader' may not call tool 'unregister_entity' (refused by mcpGateway.agents[reader].readOnly (write tools need readOnly: false)).",
    });
  });

  it('lets write and destructive tools pass for an agent with readOnly: false', async () => {
    const caller = callerOf({
      id: 'writer',
      readOnly: false,
      tools: { allow: ['*'] },
    });
    expect(
      await gate.decide(caller, [
        tool('register_location', 'write'),
        tool('unregister_entity', 'destructive'),
      ]),
    ).toEqual([undefined, undefined]);
  });

  it('still applies tools.deny to a writer', async () => {
    const caller = callerOf({
      id: 'writer',
      readOnly: false,
      tools: { allow: ['*'], deny: ['unregister_*'] },
    });
    const [refusal] = await gate.decide(caller, [
      tool('unregister_entity', 'destructive'),
    ]);
    expect(refusal?.message).toContain(
      "mcpGateway.agents[writer].tools.deny pattern 'unregister_*'",
    );
  });

  it('refuses every resource unless resources.allow names it (closed by default)', async () => {
    const everything = callerOf({
      id: 'everything',
      readOnly: false,
      tools: { allow: ['**'] },
    });
    const [refusal] = await gate.decide(everything, [resource('entity')]);
    expect(refusal).toBeInstanceOf(GatewayRefusal);
    expect(refusal).toMatchObject({
      stage: 'policy',
      code: 'resource-not-allowed',
      message:
        "Agent 'everything' may not use resource 'entity' (refused by mcpGateway.agents[everything].resources.allow).",
    });
    const reader = callerOf({ id: 'reader', resources: { allow: ['entity'] } });
    expect(
      (
        await gate.decide(reader, [resource('entity'), resource('techdocs')])
      ).map(d => d?.code),
    ).toEqual([undefined, 'resource-not-allowed']);
  });

  it('lets prompts through by default, and prompts.allow narrows them', async () => {
    const open = callerOf({ id: 'open' });
    expect(await gate.decide(open, [prompt('onboarding')])).toEqual([
      undefined,
    ]);
    const narrow = callerOf({
      id: 'narrow',
      prompts: { allow: ['incident_*'] },
    });
    const decisions = await gate.decide(narrow, [
      prompt('incident_response'),
      prompt('onboarding'),
    ]);
    expect(decisions[0]).toBeUndefined();
    expect(decisions[1]).toMatchObject({
      stage: 'policy',
      code: 'prompt-not-allowed',
      message:
        "Agent 'narrow' may not use prompt 'onboarding' (refused by mcpGateway.agents[narrow].prompts.allow).",
    });
  });

  it('decides a mixed batch one operation at a time, in order', async () => {
    const caller = callerOf({ id: 'reader', tools: { allow: ['get_*'] } });
    const decisions = await gate.decide(caller, [
      tool('list_entities'),
      tool('get_entity'),
      resource('entity'),
      tool('get_entity', 'write'),
    ]);
    expect(decisions.map(d => d?.code)).toEqual([
      'tool-not-allowed',
      undefined,
      'resource-not-allowed',
      'tool-not-allowed',
    ]);
  });
});
