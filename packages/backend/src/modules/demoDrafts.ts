import {
  coreServices,
  createBackendPlugin,
  HttpRouterService,
} from '@backstage/backend-plugin-api';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';

type Handler = Parameters<HttpRouterService['use']>[0];

/** A draft's file name: one path segment, nothing to decode or traverse. */
const DRAFT_NAME = /^[a-z0-9-]+\.yaml$/;

/**
 * Development only: serves the `*.yaml` files of `examples/drafts/`
 * read-only at `/api/demo-drafts/<file>.yaml`, so `register_location` has
 * catalog files to register without leaving this machine. Never installed
 * by adopters.
 *
 * `demoDrafts.directory` (default `../../examples/drafts`) is resolved
 * against the working directory, as the catalog's `file` locations are:
 * the backend runs in packages/backend.
 */
export default createBackendPlugin({
  pluginId: 'demo-drafts',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        http: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ config, http, logger }) {
        const directory = resolvePath(
          process.cwd(),
          config.getOptionalString('demoDrafts.directory') ??
            '../../examples/drafts',
        );
        // The catalog's URL reader fetches with no Backstage credentials.
        http.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        http.use(draftsHandler(directory));
        logger.info(`Serving demo drafts from ${directory}`);
      },
    });
  },
});

function draftsHandler(directory: string): Handler {
  return async (req, res, next) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.status(405).set('allow', 'GET, HEAD').end();
        return;
      }
      // req.path is not percent-decoded: `..%2F` stays in the name and fails.
      const name = /^\/([^/]+)$/.exec(req.path)?.[1];
      const file = name && (await draftFile(directory, name));
      if (!file) {
        res.status(404).type('text/plain').send('No such draft');
        return;
      }
      res
        .status(200)
        .set('content-type', 'text/yaml; charset=utf-8')
        .set('cache-control', 'no-store')
        .send(await readFile(file));
    } catch (error) {
      next(error);
    }
  };
}

/** The draft's path, only if the name is a draft's and that file is there. */
async function draftFile(directory: string, name: string) {
  if (!DRAFT_NAME.test(name)) return undefined;
  const names = await readdir(directory).catch(() => [] as string[]);
  if (!names.includes(name)) return undefined;
  const file = join(directory, name);
  return (await stat(file)).isFile() ? file : undefined;
}
