import { JsonObject } from '@backstage/types';
import {
  ActivityBucket,
  ActivityWindow,
  AgentDetail,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { AgentConfig } from '../config/gatewayConfig';
import { AdminActionDeps, agentOf } from './adminActionDeps';
import { activityWindowOf } from './adminRequests';
import { AdminAction } from './adminRoute';
import { ActivitySpan, BucketCounts } from './adminStores';
import { agentStateOf, agentViewOf, killSwitchOf } from './agentOverview';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** How each window is sliced: small enough to see a burst, few enough to draw. */
export const WINDOW_SLICES: Record<
  ActivityWindow,
  { bucketMs: number; buckets: number }
> = {
  hour: { bucketMs: 5 * MINUTE_MS, buckets: 12 },
  day: { bucketMs: HOUR_MS, buckets: 24 },
  week: { bucketMs: 6 * HOUR_MS, buckets: 28 },
};

/**
 * The window's slices, aligned to multiples of the slice since the epoch
 * (so two reads a minute apart agree on them), the last one holding `now`.
 */
export function activitySpanOf(window: ActivityWindow, now: number) {
  const { bucketMs, buckets } = WINDOW_SLICES[window];
  const current = Math.floor(now / bucketMs) * bucketMs;
  return {
    from: current - (buckets - 1) * bucketMs,
    to: now,
    bucketMs,
    buckets,
  };
}

/**
 * `GET agents/:id?window=hour|day|week`: the agent as `GET agents` shows
 * it, the kill switch, its activity slice by slice, and its refusals by reason.
 */
export function getAgent({ config, stores }: AdminActionDeps): AdminAction<{
  agent: AgentConfig;
  window: ActivityWindow;
}> {
  return {
    name: 'GET agent',
    // The query as sent (a refused one too); the path's agent wins a clash.
    audited: req => ({ ...(req.query as JsonObject), agent: req.params.id }),
    prepare: req => ({
      agent: agentOf(config(), req.params.id),
      window: activityWindowOf(req.query),
    }),
    async run({ agent, window }, { now }): Promise<{ json: AgentDetail }> {
      const { buckets: count, ...span } = activitySpanOf(window, now);
      const [switches, recent, detail] = await Promise.all([
        stores.switches.readAll(),
        stores.audit.activity(now),
        stores.audit.agentActivity(agent.id, span),
      ]);
      return {
        json: {
          agent: agentViewOf(
            agent,
            agentStateOf(agent, stores.control.verdict(agent), switches),
            recent.get(agent.id),
          ),
          killSwitch: killSwitchOf(config().killSwitch, switches),
          activity: {
            window,
            from: new Date(span.from).toISOString(),
            to: new Date(span.to).toISOString(),
            bucketSeconds: span.bucketMs / 1000,
            buckets: everySlice(span, count, detail.buckets),
          },
          refusals: detail.refusals,
        },
      };
    },
  };
}

/** Every slice of the span, oldest first, those without records as zeros. */
function everySlice(
  { from, bucketMs }: ActivitySpan,
  count: number,
  counted: BucketCounts[],
): ActivityBucket[] {
  const byStart = new Map(counted.map(bucket => [bucket.start, bucket]));
  return Array.from({ length: count }, (_, i) => {
    const start = from + i * bucketMs;
    const found = byStart.get(start);
    return {
      start: new Date(start).toISOString(),
      calls: found?.calls ?? 0,
      refusals: found?.refusals ?? 0,
      errors: found?.errors ?? 0,
    };
  });
}
