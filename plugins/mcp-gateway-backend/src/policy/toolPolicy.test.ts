import { ConfigReader } from '@backstage/config';
import { AgentConfig, readGatewayConfig } from '../config/gatewayConfig';
import { decideTool } from './toolPolicy';

const read = (name: string) => ({ name, access: 'read' as const });
const write = (name: string) => ({ name, access: 'write' as const });

const READ_TOOLS = [
  'search_catalog',
  'get_entity',
  'list_entities',
  'get_entity_relations',
  'list_owners',
  'who_am_i',
].map(read);
const REFRESH = write('refresh_entity');

/** An agent as start-up reads it from app-config. */
function agent(policy: Record<string, unknown> = {}): AgentConfig {
  return readGatewayConfig(
    new ConfigReader({
      mcpGateway: {
        agents: [{ id: 'bot', principals: [{ service: 'bot' }], ...policy }],
      },
    }),
  ).agents[0];
}

const AT = 'mcpGateway.agents[bot]';

/** The tools of `tools` the agent may call. */
const allowedOf = (a: AgentConfig, tools = [...READ_TOOLS, REFRESH]) =>
  tools.filter(tool => decideTool(a, tool).allowed).map(tool => tool.name);

describe('decideTool', () => {
  describe('closed by default', () => {
    it('refuses every tool to an agent with no tools rules', () => {
      const bot = agent();
      expect(allowedOf(bot)).toEqual([]);
      expect(decideTool(bot, read('get_entity'))).toEqual({
        allowed: false,
        rule: `${AT}.tools.allow (no pattern matches)`,
      });
    });

    it('refuses every tool when only deny is given', () => {
      expect(allowedOf(agent({ tools: { deny: ['refresh_entity'] } }))).toEqual(
        [],
      );
    });

    it('refuses a tool no allow pattern names', () => {
      const bot = agent({ tools: { allow: ['get_entity'] } });
      expect(decideTool(bot, read('list_entities'))).toEqual({
        allowed: false,
        rule: `${AT}.tools.allow (no pattern matches)`,
      });
    });
  });

  describe('read-only and write tools', () => {
    it('refuses a write tool to a read-only agent (the default), whatever allow says', () => {
      for (const allow of [['*'], ['**'], ['refresh_entity'], ['refresh_*']]) {
        expect(decideTool(agent({ tools: { allow } }), REFRESH)).toEqual({
          allowed: false,
          rule: `${AT}.readOnly (write tools need readOnly: false)`,
        });
      }
      expect(
        decideTool(
          agent({ readOnly: true, tools: { allow: ['refresh_entity'] } }),
          REFRESH,
        ).allowed,
      ).toBe(false);
    });

    it('lets a read-only agent call the read tools it allows', () => {
      expect(allowedOf(agent({ tools: { allow: ['*'] } }))).toEqual(
        READ_TOOLS.map(t => t.name),
      );
    });

    it('allows a write tool with readOnly: false and a matching allow', () => {
      const bot = agent({
        readOnly: false,
        tools: { allow: ['refresh_entity'] },
      });
      expect(decideTool(bot, REFRESH)).toEqual({
        allowed: true,
        rule: `${AT}.tools.allow pattern 'refresh_entity'`,
      });
    });

    it('still needs an allow pattern for a write tool with readOnly: false', () => {
      const bot = agent({ readOnly: false, tools: { allow: ['get_*'] } });
      expect(decideTool(bot, REFRESH)).toEqual({
        allowed: false,
        rule: `${AT}.tools.allow (no pattern matches)`,
      });
    });

    it('names readOnly first when a write tool is also denied', () => {
      const bot = agent({
        tools: { allow: ['*'], deny: ['refresh_entity'] },
      });
      expect(decideTool(bot, REFRESH).rule).toBe(
        `${AT}.readOnly (write tools need readOnly: false)`,
      );
    });
  });

  describe('deny beats allow', () => {
    it('refuses a denied tool that allow names too, naming the deny pattern', () => {
      const bot = agent({
        readOnly: false,
        tools: { allow: ['*'], deny: ['get_entity_relations', 'refresh_*'] },
      });
      expect(decideTool(bot, read('get_entity_relations'))).toEqual({
        allowed: false,
        rule: `${AT}.tools.deny pattern 'get_entity_relations'`,
      });
      expect(decideTool(bot, REFRESH)).toEqual({
        allowed: false,
        rule: `${AT}.tools.deny pattern 'refresh_*'`,
      });
      expect(allowedOf(bot)).toEqual(
        READ_TOOLS.map(t => t.name).filter(n => n !== 'get_entity_relations'),
      );
    });

    it('refuses even an exact allow when a wildcard denies it', () => {
      const bot = agent({ tools: { allow: ['get_entity'], deny: ['get_*'] } });
      expect(decideTool(bot, read('get_entity'))).toEqual({
        allowed: false,
        rule: `${AT}.tools.deny pattern 'get_*'`,
      });
    });
  });

  describe('the rule', () => {
    it('names the first allow pattern that matches', () => {
      const bot = agent({ tools: { allow: ['who_am_i', 'list_*', '*'] } });
      expect(decideTool(bot, read('list_owners')).rule).toBe(
        `${AT}.tools.allow pattern 'list_*'`,
      );
      expect(decideTool(bot, read('get_entity')).rule).toBe(
        `${AT}.tools.allow pattern '*'`,
      );
    });

    it('names the first deny pattern that matches', () => {
      const bot = agent({
        tools: { allow: ['*'], deny: ['get_entity', 'get_*', '*'] },
      });
      expect(decideTool(bot, read('get_entity')).rule).toBe(
        `${AT}.tools.deny pattern 'get_entity'`,
      );
      expect(decideTool(bot, read('get_entity_relations')).rule).toBe(
        `${AT}.tools.deny pattern 'get_*'`,
      );
    });

    it('names the default agent by its own key', () => {
      const { defaultAgent } = readGatewayConfig(
        new ConfigReader({
          mcpGateway: { defaultAgent: { tools: { allow: ['who_am_i'] } } },
        }),
      );
      expect(decideTool(defaultAgent!, read('who_am_i')).rule).toBe(
        "mcpGateway.defaultAgent.tools.allow pattern 'who_am_i'",
      );
      expect(decideTool(defaultAgent!, read('get_entity')).rule).toBe(
        'mcpGateway.defaultAgent.tools.allow (no pattern matches)',
      );
      expect(decideTool(defaultAgent!, REFRESH).rule).toBe(
        'mcpGateway.defaultAgent.readOnly (write tools need readOnly: false)',
      );
    });
  });

  describe('the pattern dialect', () => {
    const allows = (pattern: string, name: string) =>
      decideTool(agent({ tools: { allow: [pattern] } }), read(name)).allowed;

    it('matches a whole name exactly, case included', () => {
      expect(allows('get_entity', 'get_entity')).toBe(true);
      expect(allows('get_entity', 'get_entity_relations')).toBe(false);
      expect(allows('get_entity', 'xget_entity')).toBe(false);
      expect(allows('get_entity', 'GET_ENTITY')).toBe(false);
      expect(allows('GET_ENTITY', 'get_entity')).toBe(false);
    });

    it('reads * as any run of characters, empty included', () => {
      expect(allows('list_*', 'list_entities')).toBe(true);
      expect(allows('list_*', 'list_owners')).toBe(true);
      expect(allows('list_*', 'list_')).toBe(true);
      expect(allows('list_*', 'get_entity')).toBe(false);
      expect(allows('list_*', 'blist_x')).toBe(false);
      expect(allows('*_entity', 'refresh_entity')).toBe(true);
      expect(allows('*_entity', 'get_entity_relations')).toBe(false);
      expect(allows('get_*_relations', 'get_entity_relations')).toBe(true);
    });

    it('reads every other character literally', () => {
      expect(allows('get.entity', 'get_entity')).toBe(false);
      expect(allows('get.entity', 'get.entity')).toBe(true);
      expect(allows('who-am-i', 'who_am_i')).toBe(false);
    });

    it.each(['get_entit?', '!refresh_entity', '{get,list}_entity', '[gl]et_x'])(
      'refuses %j at start-up',
      pattern => {
        expect(() => agent({ tools: { allow: [pattern] } })).toThrow(
          /mcpGateway\.agents\[0\]\.tools\.allow\[0\]/,
        );
        expect(() => agent({ tools: { deny: [pattern] } })).toThrow(
          /mcpGateway\.agents\[0\]\.tools\.deny\[0\]/,
        );
      },
    );

    it('throws rather than grant anything for a pattern that bypassed config', () => {
      const bypass = { ...agent(), tools: { allow: ['get_entit?'], deny: [] } };
      expect(() => decideTool(bypass, read('get_entity'))).toThrow(
        /Invalid pattern/,
      );
      const badDeny = {
        ...agent(),
        tools: { allow: ['*'], deny: ['!refresh_entity'] },
      };
      expect(() => decideTool(badDeny, read('get_entity'))).toThrow(
        /Invalid pattern/,
      );
    });
  });
});
