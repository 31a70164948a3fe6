import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

/**
 * Development only: once the backend is up, print the MCP URL and the
 * static tokens of the demo agents, so `yarn start` is ready to connect to.
 * Never installed by adopters; refuses to print anything in production.
 */
export default createBackendModule({
  pluginId: 'mcp-gateway',
  moduleId: 'demo-banner',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, lifecycle }) {
        if (process.env.NODE_ENV === 'production') {
          return;
        }
        const baseUrl = config.getString('backend.baseUrl');
        const agents = config.getOptionalConfigArray('mcpGateway.agents') ?? [];
        const tokens = new Map<string, string>();
        for (const access of config.getOptionalConfigArray(
          'backend.auth.externalAccess',
        ) ?? []) {
          if (access.getString('type') === 'static') {
            tokens.set(
              access.getString('options.subject'),
              access.getString('options.token'),
            );
          }
        }
        const lines = agents.flatMap(agent => {
          const services = agent
            .getConfigArray('principals')
            .map(p => p.getOptionalString('service'))
            .filter((s): s is string => !!s && tokens.has(s));
          return services.map(
            s =>
              `  ${agent.getString('id').padEnd(22)} Authorization: Bearer ${tokens.get(s)}`,
          );
        });
        lifecycle.addStartupHook(() => {
          const banner = [
            '',
            `MCP gateway ready: ${baseUrl}/api/mcp-gateway`,
            'Demo agents (development-only tokens):',
            ...lines,
            '',
          ];
          process.stdout.write(`${banner.join('\n')}\n`);
        });
      },
    });
  },
});
