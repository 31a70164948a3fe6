import { Entity } from '@backstage/catalog-model';
import { boundServices } from '../__testUtils__/boundServices';
import { inMemoryCatalog } from '../__testUtils__/unitDoubles';

const SECRET = 'secret/data/zephyr/db-password';
const zephyr: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'zephyr-gateway',
    namespace: 'default',
    description: `Reads its password from ${SECRET} at start-up.`,
    annotations: { 'vault.example.com/token-path': SECRET },
  },
  spec: { type: 'service', owner: 'group:default/sre' },
};

/**
 * A redacted value copied into a visible field is scrubbed from answers
 * only if redaction saw it: a read of a few fields must still let it.
 */
describe('CallerCatalog reads of a few fields', () => {
  const fields = ['kind', 'metadata.name', 'metadata.description'];
  const bound = () =>
    boundServices(inMemoryCatalog([zephyr]), {
      id: 'bot',
      redact: ['metadata.annotations.vault.example.com/*'],
    });

  it.each([
    [
      'query',
      (b: ReturnType<typeof bound>) =>
        b.catalog.query({ fields }).then(page => page.items),
    ],
    [
      'getByRefs',
      (b: ReturnType<typeof bound>) =>
        b.catalog.getByRefs(['component:default/zephyr-gateway'], fields),
    ],
    [
      'stream',
      async (b: ReturnType<typeof bound>) => {
        const items: Entity[] = [];
        for await (const page of b.catalog.stream({ fields })) {
          items.push(...page);
        }
        return items;
      },
    ],
  ])(
    '%s: gives the fields asked for, and a copy of a redacted value is scrubbed',
    async (_how, read) => {
      const services = bound();
      const [entity] = (await read(services)) as Entity[];
      expect(entity).toEqual({
        kind: 'Component',
        metadata: {
          name: 'zephyr-gateway',
          description: `Reads its password from ${SECRET} at start-up.`,
        },
      });
      expect(JSON.stringify(services.redaction.scrub(entity))).not.toContain(
        SECRET,
      );
    },
  );

  it('leaves an agent without redaction the fields it asked for', async () => {
    const services = boundServices(inMemoryCatalog([zephyr]), { id: 'bot' });
    const { items } = await services.catalog.query({ fields });
    expect(Object.keys(items[0].metadata)).toEqual(['name', 'description']);
  });
});
