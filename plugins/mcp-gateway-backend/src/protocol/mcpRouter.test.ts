import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import { AddressInfo } from 'node:net';
import { Corridor, Exchange } from '../corridor/corridor';
import { AgentListChanges } from './listChanges';
import { createMcpRouter } from './mcpRouter';
import { OriginPolicy } from './origins';

const UNAUDITED =
  "The gateway could not write this request's audit record, so it was not run (reference r-1).";

/** The router over a corridor whose audit store is down. */
async function routerWithoutAudit() {
  const refuse = jest.fn(async () => {});
  const corridor = {
    admit: async (): Promise<Exchange> => ({
      caller: { agent: { id: 'copilot' } } as Exchange['caller'],
      requestId: 'r-1',
      trail: { recorded: false },
    }),
    // As the real corridor: the record was attempted, and nothing ran.
    serveMethod: async (exchange: Exchange) => {
      exchange.trail!.recorded = true;
      return {
        ok: false,
        failure: {
          outcome: 'failed',
          stage: 'audit',
          code: 'audit-unavailable',
          message: UNAUDITED,
        },
      };
    },
    refuse,
  } as unknown as Corridor;
  const app = express().use(
    createMcpRouter({
      corridor,
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth.mock(),
      origins: () =>
        new OriginPolicy({ baseUrls: [], corsOrigins: [], allowedOrigins: [] }),
      challenge: () => 'Bearer',
      lists: new AgentListChanges(),
    }),
  );
  const server = app.listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    refuse,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

describe('the MCP router', () => {
  it('answers a request the MCP SDK would serve alone with 503 when its audit record cannot begin, and runs nothing', async () => {
    const router = await routerWithoutAudit();
    try {
      const response = await fetch(router.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          method: 'notifications/initialized',
        }),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32603, message: UNAUDITED },
      });
      // Its record was attempted: no second one as an SDK refusal.
      expect(router.refuse).not.toHaveBeenCalled();
    } finally {
      await router.close();
    }
  });
});
