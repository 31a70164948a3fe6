import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readGatewayConfig } from '../config/gatewayConfig';
import { agentsChangedBetween, AgentListChanges } from './listChanges';
import { inRequestScope } from './requestScope';

const agent = (id: string, allow = ['who_am_i']) => ({
  id,
  principals: [{ service: id }],
  tools: { allow },
});
const gateway = (mcpGateway: JsonObject) =>
  readGatewayConfig(new ConfigReader({ mcpGateway }));

describe('AgentListChanges', () => {
  const subscribed = async (lists: AgentListChanges, agentId: string) => {
    const heard: string[] = [];
    const unsubscribe = await inRequestScope({ agentId }, async () =>
      lists.subscribe(event => heard.push(event.kind)),
    );
    return { heard, unsubscribe };
  };

  it('tells an agent’s listeners, and no one else’s, that its lists changed', async () => {
    const lists = new AgentListChanges();
    const a = await subscribed(lists, 'a');
    const b = await subscribed(lists, 'b');
    lists.changed(['a', 'a', 'nobody']);
    expect(a.heard).toEqual([
      'tools_list_changed',
      'prompts_list_changed',
      'resources_list_changed',
    ]);
    expect(b.heard).toEqual([]);
    lists.changed('all');
    expect(b.heard).toHaveLength(3);
  });

  it('counts open listeners per agent, and forgets unsubscribed ones', async () => {
    const lists = new AgentListChanges();
    const first = await subscribed(lists, 'a');
    await subscribed(lists, 'a');
    expect(lists.openFor('a')).toBe(2);
    first.unsubscribe();
    first.unsubscribe();
    expect(lists.openFor('a')).toBe(1);
    lists.changed(['a']);
    expect(first.heard).toEqual([]);
  });

  it('never delivers to a listener subscribed outside a request', () => {
    const lists = new AgentListChanges();
    const heard: string[] = [];
    lists.subscribe(event => heard.push(event.kind));
    lists.changed('all');
    lists.publish({ kind: 'tools_list_changed' });
    expect(heard).toEqual([]);
  });

  it('keeps delivering when one listener throws', async () => {
    const lists = new AgentListChanges();
    await inRequestScope({ agentId: 'a' }, async () =>
      lists.subscribe(() => {
        throw new Error('stream gone');
      }),
    );
    const b = await subscribed(lists, 'a');
    lists.changed(['a']);
    expect(b.heard).toHaveLength(3);
  });
});

describe('agentsChangedBetween', () => {
  const before = gateway({ agents: [agent('a'), agent('b')] });

  it('names the agents added, removed or with another policy', () => {
    expect(
      agentsChangedBetween(
        before,
        gateway({ agents: [agent('a', ['*']), agent('c')] }),
      ),
    ).toEqual(['a', 'b', 'c']);
    expect(agentsChangedBetween(before, before)).toEqual([]);
  });

  it('names every agent when the kill switch or the served actions change', () => {
    const agents = [agent('a'), agent('b')];
    expect(
      agentsChangedBetween(before, gateway({ agents, killSwitch: true })),
    ).toBe('all');
    expect(
      agentsChangedBetween(
        before,
        gateway({ agents, actions: { enabled: true } }),
      ),
    ).toBe('all');
  });
});
