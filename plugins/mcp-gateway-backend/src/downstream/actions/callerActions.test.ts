import { Entity } from '@backstage/catalog-model';
import { ActionsService } from '@backstage/backend-plugin-api/alpha';
import { boundServices } from '../../__testUtils__/boundServices';
import { inMemoryCatalog } from '../../__testUtils__/unitDoubles';
import { MAX_ACTION_OUTPUT_BYTES } from './callerActions';

const component = (
  name: string,
  extra: Partial<Entity['metadata']> = {},
  owner = 'group:default/payments',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', ...extra },
  spec: { type: 'service', lifecycle: 'production', owner },
});

const payments = component('payments-api', { title: 'Payments' });
// The agent sees components of the default namespace only.
const admin = component('admin-console', { namespace: 'ops' });
const ledger = component('ledger', {}, 'component:ops/admin-console');

function actionsAnswering(output: unknown) {
  const invoke = jest.fn(async () => ({ output: output as never }));
  const actions: ActionsService = {
    list: async () => ({ actions: [] }),
    invoke,
  };
  return { actions, invoke };
}

function bound(actions: ActionsService) {
  return boundServices(
    inMemoryCatalog([payments, admin, ledger]),
    {
      id: 'bot',
      entities: { kinds: ['Component'], namespaces: ['default'] },
      redact: ['metadata.title'],
    },
    { actions },
  );
}

describe('CallerActions', () => {
  it("invokes with the caller's credentials and the arguments as given", async () => {
    const { actions, invoke } = actionsAnswering({ ok: true });
    const services = bound(actions);
    await expect(
      services.actions.invoke('demo:greet', {
        who: 'ada',
        entityRef: 'component:default/payments-api',
      }),
    ).resolves.toEqual({ ok: true });
    expect(invoke).toHaveBeenCalledWith({
      id: 'demo:greet',
      input: { who: 'ada', entityRef: 'component:default/payments-api' },
      credentials: services.caller.credentials,
    });
  });

  it.each([
    ['a full ref', 'component:ops/admin-console'],
    ['a ref in capitals', 'Component:OPS/Admin-Console'],
    ['a short ref, of a kind it may not see', 'user:ada'],
  ])(
    'refuses input naming an entity the agent may not see (%s), invoking nothing',
    async (_how, ref) => {
      const { actions, invoke } = actionsAnswering({});
      await expect(
        bound(actions).actions.invoke('demo:delete', {
          deep: [{ target: ref }],
        }),
      ).rejects.toThrow(`No entity ${ref} is visible to this agent.`);
      expect(invoke).not.toHaveBeenCalled();
    },
  );

  it('leaves strings that only look like refs alone', async () => {
    const { actions, invoke } = actionsAnswering({ note: 'mailto:someone' });
    await expect(
      bound(actions).actions.invoke('demo:x', {
        link: 'mailto:someone',
        url: 'https://example.com/a',
      }),
    ).resolves.toEqual({ note: 'mailto:someone' });
    expect(invoke).toHaveBeenCalled();
  });

  it('shapes entities in the output: hidden ones and hidden names replaced, fields redacted', async () => {
    const { actions } = actionsAnswering({
      items: [payments, admin, ledger],
      first: 'component:ops/admin-console',
      also: 'component:default/payments-api',
    });
    const services = bound(actions);
    const output = (await services.actions.invoke('demo:list', {})) as any;
    const [shownPayments, hiddenAdmin, shownLedger] = output.items;
    expect(shownPayments.metadata.title).toBe('[redacted]');
    expect(shownPayments.metadata.name).toBe('payments-api');
    expect(hiddenAdmin).toMatch(/^elided:[0-9a-f]{12}$/);
    expect(shownLedger.spec.owner).toBe(hiddenAdmin);
    expect(output.first).toBe(hiddenAdmin);
    expect(output.also).toBe('component:default/payments-api');
    expect(JSON.stringify(output)).not.toContain('admin-console');
  });

  it('wraps a bare value, and refuses an answer too large to pass on', async () => {
    await expect(
      bound(actionsAnswering(42).actions).actions.invoke('demo:n', {}),
    ).resolves.toEqual({
      output: 42,
    });
    const huge = 'x'.repeat(MAX_ACTION_OUTPUT_BYTES + 1);
    await expect(
      bound(actionsAnswering({ huge }).actions).actions.invoke('demo:big', {}),
    ).rejects.toThrow(
      /The action answered with \d+ bytes, more than the 1048576 the gateway passes on/,
    );
  });
});
