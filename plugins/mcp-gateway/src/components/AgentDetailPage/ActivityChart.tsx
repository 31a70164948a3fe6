import { Text } from '@backstage/ui';
import {
  ActivityWindow,
  AgentDetail,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCount } from '../shared/format';

// SVG attributes do not read CSS variables, so the series have fixed colors
// that read on light and dark themes alike.
const COLORS = {
  calls: '#4c8bf5',
  refusals: '#f59e0b',
  errors: '#e5484d',
};

export const WINDOW_LABELS: Record<ActivityWindow, string> = {
  hour: 'the last hour',
  day: 'the last day',
  week: 'the last week',
};

/** How a bucket's start is labelled on the axis: times within a day, dates over a week. */
function tickFormatter(window: ActivityWindow) {
  return (iso: string) => {
    const date = new Date(iso);
    return window === 'week'
      ? date.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' })
      : date.toLocaleTimeString(undefined, {
          hour: '2-digit',
          minute: '2-digit',
        });
  };
}

/** "1 call", "1,280 calls". */
function counted(count: number, noun: string): string {
  return `${formatCount(count)} ${count === 1 ? noun : `${noun}s`}`;
}

function tooltipLabel(iso: unknown) {
  return typeof iso === 'string'
    ? new Date(iso).toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      })
    : String(iso);
}

/**
 * Calls (bars), and refusals and errors (lines) over the window, with the
 * totals in words above it. `initialWidth` is the size it renders
 * at before it can measure its container (and in tests, where it cannot).
 */
export function ActivityChart(props: {
  activity: AgentDetail['activity'];
  height?: number;
  initialWidth?: number;
}) {
  const { activity, height = 260, initialWidth = 800 } = props;
  const totals = activity.buckets.reduce(
    (sum, bucket) => ({
      calls: sum.calls + bucket.calls,
      refusals: sum.refusals + bucket.refusals,
      errors: sum.errors + bucket.errors,
    }),
    { calls: 0, refusals: 0, errors: 0 },
  );
  const label = `Calls, refusals and errors over ${WINDOW_LABELS[activity.window]}`;

  return (
    <figure style={{ margin: 0 }} aria-label={label}>
      <figcaption>
        <Text variant="body-small" color="secondary">
          {`${counted(totals.calls, 'call')}, ${counted(
            totals.refusals,
            'refusal',
          )} and ${counted(totals.errors, 'error')} over ${
            WINDOW_LABELS[activity.window]
          }.`}
        </Text>
      </figcaption>
      <ResponsiveContainer
        width="100%"
        height={height}
        initialDimension={{ width: initialWidth, height }}
      >
        <ComposedChart
          data={activity.buckets}
          margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="start"
            tickFormatter={tickFormatter(activity.window)}
            minTickGap={24}
            fontSize={12}
          />
          <YAxis allowDecimals={false} fontSize={12} />
          <Tooltip labelFormatter={tooltipLabel} />
          <Legend />
          <Bar
            dataKey="calls"
            name="Calls"
            fill={COLORS.calls}
            radius={[2, 2, 0, 0]}
            isAnimationActive={false}
          />
          <Line
            dataKey="refusals"
            name="Refusals"
            stroke={COLORS.refusals}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Line
            dataKey="errors"
            name="Errors"
            stroke={COLORS.errors}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
