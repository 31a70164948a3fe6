import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { AuditSink } from '../audit/auditRecord';
import { CurrentGatewayConfig } from '../config/liveGatewayConfig';
import { AdminActionDeps } from './adminActionDeps';
import { AdminFailure } from './adminFailure';
import { AdminAction, adminRoute } from './adminRoute';
import { AdminStores } from './adminStores';
import { disableAgent, enableAgent, listAgents } from './agentActions';
import { getAgent } from './agentDetailAction';
import { queryAudit } from './auditActions';
import { getKillSwitch, setKillSwitch } from './killSwitchActions';

export interface AdminRouterOptions {
  /** The config in force, read per request: a reload may change it. */
  config: CurrentGatewayConfig;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  stores: AdminStores;
  /** Where admin actions are recorded, refused ones included. */
  audit: AuditSink;
  logger: LoggerService;
  /** The clock, ms since the epoch (tests set it). */
  now?: () => number;
}

/** Also authenticated and audited, so a non-admin learns no route names. */
const unknownRoute: AdminAction<never> = {
  name: 'unknown route',
  audited: req => ({ method: req.method, path: req.path.slice(0, 200) }),
  prepare(req) {
    throw new AdminFailure(
      404,
      `No admin route ${req.method} ${req.path.slice(0, 200)}. The admin API has GET agents, GET agents/<id>?window=hour|day|week, POST agents/<id>/disable, POST agents/<id>/enable, GET kill-switch, POST kill-switch and GET audit.`,
      { code: 'unknown-route' },
    );
  },
  run: () => Promise.reject(new Error('unreachable')),
};

/**
 * The admin REST API, relative to where it is mounted (the plugin mounts
 * it at /admin). Backstage already requires credentials there; every
 * route checks them again, and that the caller is an admin, before it
 * reads anything else of the request.
 */
export function createAdminRouter(options: AdminRouterOptions): express.Router {
  const { config, stores, logger } = options;
  const deps: AdminActionDeps = { config, stores, logger };
  const routeOptions = {
    ...options,
    admins: () => config().admins,
    now: options.now ?? Date.now,
  };
  const route = <T>(action: AdminAction<T>) => adminRoute(action, routeOptions);

  const router = Router();
  router.get('/agents', route(listAgents(deps)));
  router.get('/agents/:id', route(getAgent(deps)));
  router.post('/agents/:id/disable', route(disableAgent(deps)));
  router.post('/agents/:id/enable', route(enableAgent(deps)));
  router.get('/kill-switch', route(getKillSwitch(deps)));
  router.post('/kill-switch', route(setKillSwitch(deps)));
  router.get('/audit', route(queryAudit(deps)));
  router.use(route(unknownRoute));
  return router;
}
