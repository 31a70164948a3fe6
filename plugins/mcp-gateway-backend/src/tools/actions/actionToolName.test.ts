import { ALL_TOOLS } from '../registry';
import { actionToolName } from './actionToolName';
import { SUPERSEDED_ACTIONS } from './supersededActions';

describe('actionToolName', () => {
  it.each([
    ['catalog', 'get-catalog-entity', 'action_catalog_get_catalog_entity'],
    ['my-plugin', 'createThing', 'action_my_plugin_create_thing'],
    ['search', 'query.v2 docs', 'action_search_query_v2_docs'],
    ['Tools', '--trim--me--', 'action_tools_trim_me'],
    ['a', 'HTTPServer', 'action_a_httpserver'],
  ])('%s:%s is %s', (plugin, name, expected) => {
    expect(actionToolName(plugin, name)).toEqual({ name: expected });
  });

  it('refuses names with nothing to say, and names too long for clients', () => {
    expect(actionToolName('catalog', '---')).toEqual({
      problem: 'its plugin id or name has no letter or digit',
    });
    expect(actionToolName('catalog', 'x'.repeat(60))).toEqual({
      problem: expect.stringContaining('longer than 64 characters'),
    });
  });
});

describe('the action_ namespace', () => {
  it('holds no tool of the gateway, so an action can never shadow one', () => {
    expect(ALL_TOOLS.filter(tool => tool.name.startsWith('action_'))).toEqual(
      [],
    );
  });

  it("names only tools the gateway serves as superseding Backstage's actions", () => {
    const served = new Set(ALL_TOOLS.map(tool => tool.name));
    expect(
      [...SUPERSEDED_ACTIONS.values()].filter(name => !served.has(name)),
    ).toEqual([]);
  });
});
