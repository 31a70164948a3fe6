import { ServerEvent, ServerEventBus } from '@modelcontextprotocol/server';
import { isDeepStrictEqual } from 'node:util';
import { GatewayConfig } from '../config/gatewayConfig';
import { GatewayConfigListener } from '../config/liveGatewayConfig';
import { ControlChange } from '../control/controlState';
import { currentRequestScope } from './requestScope';
import { auditedMethodOf } from '../audit/auditedMethod';
import { isJsonObject } from '../core/isJsonObject';
import { requestIdOf, SERVER_ERROR, TransportRefusal } from './refusals';
import { Request } from 'express';

type Listener = (event: ServerEvent) => void;

/** What one agent's clients are shown, all of which its policy and state decide. */
const LIST_CHANGES: ServerEvent[] = [
  { kind: 'tools_list_changed' },
  { kind: 'prompts_list_changed' },
  { kind: 'resources_list_changed' },
];

/** Open `subscriptions/listen` streams one agent may hold on one replica. */
export const MAX_LISTENERS_PER_AGENT = 16;

/**
 * The bus behind `subscriptions/listen` (2026-07-28): each stream belongs
 * to the agent that opened it, and hears only that its own lists changed.
 * The MCP SDK subscribes a stream while it serves the request, inside the
 * request's scope, which names the agent.
 */
export class AgentListChanges implements ServerEventBus {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(listener: Listener): () => void {
    const agentId = currentRequestScope()?.agentId;
    // A stream opened outside a request (none is) would hear nothing.
    if (agentId === undefined) return () => {};
    const own = this.listeners.get(agentId) ?? new Set<Listener>();
    this.listeners.set(agentId, own.add(listener));
    return () => {
      own.delete(listener);
      if (own.size === 0 && this.listeners.get(agentId) === own) {
        this.listeners.delete(agentId);
      }
    };
  }

  /** The SDK's own notifier: to everyone (the gateway does not use it). */
  publish(event: ServerEvent): void {
    for (const own of this.listeners.values()) deliver(own, event);
  }

  /** Tells these agents' streams (or every stream) that their lists changed. */
  changed(agentIds: Iterable<string> | 'all'): void {
    const targets =
      agentIds === 'all'
        ? [...this.listeners.values()]
        : [...new Set(agentIds)].flatMap(id => {
            const own = this.listeners.get(id);
            return own ? [own] : [];
          });
    for (const own of targets) {
      for (const event of LIST_CHANGES) deliver(own, event);
    }
  }

  /** How many streams this agent holds open here. */
  openFor(agentId: string): number {
    return this.listeners.get(agentId)?.size ?? 0;
  }
}

function deliver(listeners: Set<Listener>, event: ServerEvent) {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch {
      // A stream that cannot be written is being torn down by the SDK.
    }
  }
}

/**
 * The agents whose lists a config reload may have changed: those added,
 * removed or with another policy; every agent when the kill switch, the
 * served actions or the search tool changed.
 */
export function agentsChangedBetween(
  previous: GatewayConfig,
  next: GatewayConfig,
): string[] | 'all' {
  if (
    previous.killSwitch !== next.killSwitch ||
    !isDeepStrictEqual(previous.actions, next.actions) ||
    !isDeepStrictEqual(previous.search, next.search)
  ) {
    return 'all';
  }
  const before = new Map(previous.policies.map(agent => [agent.id, agent]));
  const after = new Map(next.policies.map(agent => [agent.id, agent]));
  return [...new Set([...before.keys(), ...after.keys()])].filter(
    id => !isDeepStrictEqual(before.get(id), after.get(id)),
  );
}

/**
 * Invalidates what agents' clients were shown when their policy (a config
 * reload) or their state (the kill switches, on every replica) changes.
 * Returns the unsubscriber.
 */
export function announceListChanges(options: {
  lists: AgentListChanges;
  control: { onChange(listener: (change: ControlChange) => void): () => void };
  config: { onChange(listener: GatewayConfigListener): () => void };
}): () => void {
  const { lists } = options;
  const unsubscribeControl = options.control.onChange(change =>
    lists.changed(change.gatewaySwitched ? 'all' : change.switchedAgents),
  );
  const unsubscribeConfig = options.config.onChange((next, previous) =>
    lists.changed(agentsChangedBetween(previous, next)),
  );
  return () => {
    unsubscribeControl();
    unsubscribeConfig();
  };
}

/** Refuses a list subscription past the agent's share of this replica's. */
export function listenRefusalFor(
  req: Request,
  body: unknown,
  agentId: string,
  lists: AgentListChanges,
): TransportRefusal | undefined {
  if (!isJsonObject(body) || body.method !== 'subscriptions/listen') {
    return undefined;
  }
  if (lists.openFor(agentId) < MAX_LISTENERS_PER_AGENT) return undefined;
  return {
    status: 429,
    code: SERVER_ERROR,
    outcome: 'refused',
    reasonCode: 'too-many-subscriptions',
    id: requestIdOf(body),
    method: auditedMethodOf(req, body),
    message: `Agent '${agentId}' already holds ${MAX_LISTENERS_PER_AGENT} open subscriptions/listen streams on this replica, the most it may: close one before opening another.`,
  };
}
