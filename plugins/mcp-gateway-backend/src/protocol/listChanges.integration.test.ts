import {
  auditedDuring,
  messagesOf,
  startTestGateway,
  TestGateway,
  tokenFor,
} from '../__testUtils__/testGateway';
import { LIST_TTL_MS } from './mcpServerFactory';

const COPILOT = {
  id: 'copilot',
  principals: [{ service: 'copilot' }],
  tools: { allow: ['who_am_i', 'get_entity'] },
  resources: { allow: ['entity'] },
};
const HELPER = {
  id: 'helper',
  principals: [{ service: 'helper' }],
  tools: { allow: ['who_am_i'] },
};

/** A 2026-07-28 request: the version claimed in _meta and the headers. */
function perRequest(subject: string, method: string, params = {}) {
  return {
    body: {
      jsonrpc: '2.0',
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    },
    headers: {
      authorization: `Bearer ${tokenFor(subject)}`,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
    },
  };
}

/** An open subscriptions/listen stream and the notifications it heard. */
interface Listening {
  heard: string[];
  /** Resolves once `method` has been heard `times` times in all. */
  until(method: string, times?: number): Promise<void>;
  close(): void;
}

async function listen(gateway: TestGateway, subject: string) {
  const { body, headers } = perRequest(subject, 'subscriptions/listen', {
    notifications: {
      toolsListChanged: true,
      promptsListChanged: true,
      resourcesListChanged: true,
    },
  });
  const abort = new AbortController();
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify(body),
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  const heard: string[] = [];
  const waiters = new Set<() => void>();
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({
        done: true as const,
        value: undefined,
      }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const data = buffer
          .slice(0, end)
          .split('\n')
          .find(line => line.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        if (data) heard.push(JSON.parse(data.slice(6)).method);
        waiters.forEach(wake => wake());
      }
    }
  })();
  const count = (method: string) => heard.filter(m => m === method).length;
  const listening: Listening = {
    heard,
    until: (method, times = 1) =>
      new Promise(resolve => {
        const check = () => {
          if (count(method) < times) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    close: () => abort.abort(),
  };
  await listening.until('notifications/subscriptions/acknowledged');
  return listening;
}

const LIST_CHANGED = [
  'notifications/tools/list_changed',
  'notifications/prompts/list_changed',
  'notifications/resources/list_changed',
];

describe('listings and their caching (2026-07-28)', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      subjects: ['copilot', 'helper'],
      agents: [COPILOT, HELPER],
    });
  }, 90_000);

  afterAll(() => gateway.stop());

  const resultOf = async (subject: string, method: string) => {
    const { body, headers } = perRequest(subject, method);
    const [message] = await messagesOf(await gateway.post(body, headers));
    return message.result;
  };

  it('lets a client keep its agent’s listings for a while, privately, and asks afresh for entities', async () => {
    for (const method of [
      'tools/list',
      'prompts/list',
      'resources/templates/list',
    ]) {
      expect(await resultOf('copilot', method)).toMatchObject({
        ttlMs: LIST_TTL_MS,
        cacheScope: 'private',
      });
    }
    expect(await resultOf('copilot', 'resources/list')).toMatchObject({
      ttlMs: 0,
      cacheScope: 'private',
    });
  });

  it('gives 2025 clients no caching fields, and offers list changes to 2026-07-28 clients only', async () => {
    const legacy = await gateway.post(
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      {
        authorization: `Bearer ${tokenFor('copilot')}`,
        'mcp-protocol-version': '2025-11-25',
      },
    );
    const [listing] = await messagesOf(legacy);
    expect(listing.result.tools.length).toBeGreaterThan(0);
    expect(listing.result).not.toHaveProperty('ttlMs');
    expect(listing.result).not.toHaveProperty('cacheScope');

    const client = await gateway.connect('copilot');
    expect(client.getServerCapabilities()?.tools?.listChanged).toBe(false);
    await client.close();
    const discovered = await resultOf('copilot', 'server/discover');
    expect(discovered.capabilities).toMatchObject({
      tools: { listChanged: true },
      prompts: { listChanged: true },
      resources: { listChanged: true },
    });
  });

  it('tells an agent’s open streams, and only its own, when it is disabled and enabled again', async () => {
    const copilot = await listen(gateway, 'copilot');
    const helper = await listen(gateway, 'helper');
    try {
      const disabled = await gateway.admin('agents/copilot/disable', {
        method: 'POST',
        body: { reason: 'rotating its token' },
      });
      expect(disabled.status).toBe(200);
      await copilot.until('notifications/resources/list_changed');
      expect(copilot.heard.slice(1)).toEqual(LIST_CHANGED);
      expect((await resultOf('copilot', 'tools/list')).tools).toEqual([]);

      await gateway.admin('agents/copilot/enable', { method: 'POST' });
      await copilot.until('notifications/resources/list_changed', 2);
      expect((await resultOf('copilot', 'tools/list')).tools).not.toEqual([]);
      expect(helper.heard).toEqual([
        'notifications/subscriptions/acknowledged',
      ]);
    } finally {
      copilot.close();
      helper.close();
    }
  });

  it('tells every open stream when the whole gateway is stopped', async () => {
    const helper = await listen(gateway, 'helper');
    try {
      await gateway.admin('kill-switch', {
        method: 'POST',
        body: { engaged: true, reason: 'drill' },
      });
      await helper.until('notifications/resources/list_changed');
      expect(helper.heard.slice(1)).toEqual(LIST_CHANGED);
    } finally {
      await gateway.admin('kill-switch', {
        method: 'POST',
        body: { engaged: false },
      });
      helper.close();
    }
  });

  it('tells an agent’s streams when a config reload changes its policy, and no other agent’s', async () => {
    const copilot = await listen(gateway, 'copilot');
    const helper = await listen(gateway, 'helper');
    try {
      gateway.reloadConfig({
        agents: [{ ...COPILOT, tools: { allow: ['who_am_i'] } }, HELPER],
      });
      await copilot.until('notifications/tools/list_changed');
      expect(
        (await resultOf('copilot', 'tools/list')).tools.map(
          (tool: { name: string }) => tool.name,
        ),
      ).toEqual(['who_am_i']);
      expect(helper.heard).toEqual([
        'notifications/subscriptions/acknowledged',
      ]);
    } finally {
      gateway.reloadConfig({ agents: [COPILOT, HELPER] });
      copilot.close();
      helper.close();
    }
  });

  it('audits a subscription, and refuses more than 16 open streams per agent', async () => {
    let streams: Listening[] = [];
    try {
      const events = await auditedDuring(gateway, async () => {
        streams.push(await listen(gateway, 'helper'));
      });
      expect(events[0]).toMatchObject({
        meta: { agentId: 'helper', method: 'subscriptions/listen' },
      });
      for (let i = 1; i < 16; i += 1) {
        streams.push(await listen(gateway, 'helper'));
      }
      const { body, headers } = perRequest('helper', 'subscriptions/listen', {
        notifications: { toolsListChanged: true },
      });
      const refused = await gateway.post(body, headers);
      expect(refused.status).toBe(429);
      expect((await refused.json()).error.message).toMatch(
        /already holds 16 open subscriptions\/listen streams/,
      );
      // Other agents are not held back by it.
      streams.push(await listen(gateway, 'copilot'));
    } finally {
      streams.forEach(stream => stream.close());
      streams = [];
    }
  });
});
