import {
  BackstageCredentials,
  coreServices,
  createBackendModule,
  createBackendPlugin,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import Router from 'express-promise-router';

/** Who an action was invoked as: a user's ref, or a service's subject. */
function invokedBy(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? `${principal.type}:${principal.subject}`;
}

/**
 * Test only: a plugin with actions in Backstage's actions registry, one
 * read-only (reads an entity as the caller) and one destructive; and a
 * route that registers a third one later, as a plugin deployed later would
 * add it.
 */
export const demoActionsPlugin = createBackendPlugin({
  pluginId: 'demo-actions',
  register(env) {
    env.registerInit({
      deps: {
        actionsRegistry: actionsRegistryServiceRef,
        catalog: catalogServiceRef,
        httpRouter: coreServices.httpRouter,
      },
      async init({ actionsRegistry, catalog, httpRouter }) {
        actionsRegistry.register({
          name: 'describe-entity',
          title: 'Describe an entity',
          description:
            'The catalog entity with this ref, as the caller may read it.',
          attributes: { readOnly: true, idempotent: true },
          schema: {
            input: z => z.object({ entityRef: z.string().max(200) }),
            output: z => z.object({ entity: z.any(), invokedBy: z.string() }),
          },
          action: async ({ input, credentials }) => ({
            output: {
              entity: await catalog.getEntityByRef(input.entityRef, {
                credentials,
              }),
              invokedBy: invokedBy(credentials),
            },
          }),
        });
        actionsRegistry.register({
          name: 'delete-widget',
          title: 'Delete a widget',
          description: 'Deletes a widget for good.',
          attributes: { destructive: true },
          schema: {
            input: z =>
              z.object({
                widget: z.string().min(1).max(40),
                force: z.boolean().optional(),
              }),
            output: z =>
              z.object({ deleted: z.string(), invokedBy: z.string() }),
          },
          action: async ({ input, credentials }) => ({
            output: {
              deleted: input.widget,
              invokedBy: invokedBy(credentials),
            },
          }),
        });
        const router = Router();
        router.post('/register-late', async (_req, res) => {
          actionsRegistry.register({
            name: 'wave',
            title: 'Wave',
            description: 'Waves back.',
            attributes: { readOnly: true },
            schema: {
              input: z => z.object({}),
              output: z => z.object({ waved: z.boolean() }),
            },
            action: async () => ({ output: { waved: true } }),
          });
          res.status(204).end();
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({
          path: '/register-late',
          allow: 'unauthenticated',
        });
      },
    });
  },
});

/**
 * Test only: the test backend's scheduler, a mock that every plugin shares
 * and that runs a task with an initial delay only when told: to run one of
 * the gateway's tasks now. (A module of the demo plugin: a module of the
 * gateway's own would make the test backend add a stand-in gateway plugin,
 * since it cannot see the one inside the package's feature loader.)
 */
export function schedulerProbe() {
  let scheduler: SchedulerService | undefined;
  return {
    module: createBackendModule({
      pluginId: 'demo-actions',
      moduleId: 'test-scheduler-probe',
      register(reg) {
        reg.registerInit({
          deps: { scheduler: coreServices.scheduler },
          async init(deps) {
            scheduler = deps.scheduler;
          },
        });
      },
    }),
    trigger: (taskId: string) => scheduler!.triggerTask(taskId),
  };
}
