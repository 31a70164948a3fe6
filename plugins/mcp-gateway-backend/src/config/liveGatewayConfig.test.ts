import { mockServices } from '@backstage/backend-test-utils';
import { Config, ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { fakeLogger } from '../__testUtils__/unitDoubles';
import { agent } from './__fixtures__/agents';
import { readGatewayConfig } from './gatewayConfig';
import { changesBetween, LiveGatewayConfig } from './liveGatewayConfig';

const otherKeys = { backend: { baseUrl: 'http://localhost:7007' } };

function watched(mcpGateway: JsonObject) {
  const root = mockServices.rootConfig({ data: { ...otherKeys, mcpGateway } });
  const logger = fakeLogger();
  const live = LiveGatewayConfig.watch(root, logger);
  const listener = jest.fn();
  live.onChange(listener);
  const reload = (next: JsonObject, others: JsonObject = otherKeys) =>
    root.update({ data: { ...others, mcpGateway: next } });
  return { live, logger, listener, reload };
}

const copilot = agent();
const bot = agent({ id: 'bot', principals: [{ service: 'bot' }] });

describe('LiveGatewayConfig', () => {
  it('refuses an invalid config at start-up, so the backend does not start', () => {
    expect(() => watched({ agents: [agent({ tools: 'all' })] })).toThrow(
      /mcpGateway\.agents\[0\]\.tools/,
    );
  });

  it('takes a valid reload at once, tells its listeners and logs what changed', () => {
    const { live, logger, listener, reload } = watched({ agents: [copilot] });
    const before = live.current();

    reload({ agents: [copilot, bot], killSwitch: true });

    expect(live.current().agents.map(a => a.id)).toEqual([
      'incident-copilot',
      'bot',
    ]);
    expect(live.current().killSwitch).toBe(true);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith(live.current(), before);
    expect(logger.info).toHaveBeenCalledWith(
      'Reloaded the MCP gateway configuration: agents added: bot; mcpGateway.killSwitch engaged',
    );
  });

  it('refuses an invalid reload, logs why, and keeps the last valid config in force', () => {
    const { live, logger, listener, reload } = watched({ agents: [copilot] });
    const valid = live.current();

    reload({ agents: [copilot, agent({ id: 'twin' })] });

    expect(live.current()).toBe(valid);
    expect(listener).not.toHaveBeenCalled();
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Refused the reloaded MCP gateway configuration; the last valid one stays in force\. .*service incident-copilot is already claimed by agent 'incident-copilot'/,
      ),
    );

    // Still invalid while other keys change: said once, not on every reload.
    reload({ agents: [copilot, agent({ id: 'twin' })] }, { other: 1 });
    expect(logger.error).toHaveBeenCalledTimes(1);

    reload({ agents: [bot] });
    expect(live.current().agents.map(a => a.id)).toEqual(['bot']);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('ignores reloads of other config keys', () => {
    const { live, logger, listener, reload } = watched({ agents: [copilot] });
    const before = live.current();

    reload({ agents: [copilot] }, { backend: { baseUrl: 'http://other' } });

    expect(live.current()).toBe(before);
    expect(listener).not.toHaveBeenCalled();
    expect(logger.info).not.toHaveBeenCalled();
  });

  it('rebuilds derived values after a reload, and only then', () => {
    const { live, reload } = watched({ agents: [copilot] });
    const build = jest.fn(
      (config: ReturnType<typeof live.current>) => config.agents.length,
    );
    const derived = live.derive(build);

    expect(derived()).toBe(1);
    expect(derived()).toBe(1);
    expect(build).toHaveBeenCalledTimes(1);

    reload({ agents: [copilot, bot] });
    expect(derived()).toBe(2);
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('keeps telling the other listeners when one fails', () => {
    const { live, logger, listener, reload } = watched({ agents: [copilot] });
    live.onChange(() => {
      throw new Error('boom');
    });
    const last = jest.fn();
    live.onChange(last);

    reload({ agents: [bot] });

    expect(listener).toHaveBeenCalled();
    expect(last).toHaveBeenCalled();
    expect(logger.error).toHaveBeenCalledWith(
      'A listener of MCP gateway configuration reloads failed: boom',
    );
  });

  it('follows no reload once stopped, nor after an unsubscribe', () => {
    const { live, listener, reload } = watched({ agents: [copilot] });
    const other = jest.fn();
    live.onChange(other)();
    live.stop();
    const before = live.current();

    reload({ agents: [bot] });

    expect(live.current()).toBe(before);
    expect(listener).not.toHaveBeenCalled();
    expect(other).not.toHaveBeenCalled();
  });

  it('works with a config source that cannot reload', () => {
    const fixed: Config = new ConfigReader({
      mcpGateway: { agents: [copilot] },
    });
    expect(fixed.subscribe).toBeUndefined();
    const live = LiveGatewayConfig.watch(fixed, fakeLogger());
    expect(live.current().agents).toHaveLength(1);
    expect(() => live.stop()).not.toThrow();
  });
});

describe('changesBetween', () => {
  const read = (mcpGateway: JsonObject) =>
    readGatewayConfig(mockServices.rootConfig({ data: { mcpGateway } }));

  it('names agents added, removed and changed, and the other keys that changed', () => {
    expect(
      changesBetween(
        read({ agents: [copilot, bot], admins: [{ service: 'a' }] }),
        read({
          agents: [
            agent({ tools: { allow: ['get_*'] } }),
            agent({ id: 'new', principals: [{ service: 'new' }] }),
          ],
          defaultAgent: { tools: { allow: ['who_am_i'] } },
          audit: { failurePolicy: 'open' },
          allowedOrigins: ['https://portal.example'],
        }),
      ),
    ).toBe(
      'agents added: new, default; agents removed: bot; policies changed: incident-copilot; mcpGateway.admins changed; mcpGateway.allowedOrigins changed; mcpGateway.audit changed',
    );
  });

  it('says when nothing effective changed (a default spelt out)', () => {
    expect(
      changesBetween(
        read({ agents: [copilot] }),
        read({ agents: [{ ...copilot, readOnly: true }] }),
      ),
    ).toBe('no effective change');
  });
});
