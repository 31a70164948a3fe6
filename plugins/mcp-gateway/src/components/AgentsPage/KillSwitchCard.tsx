import { Alert, Button, Card, CardBody, Flex, Text } from '@backstage/ui';
import { KillSwitchView } from '@mcp-gateway/plugin-mcp-gateway-common';
import { useState } from 'react';
import { formatDateTime, formatRelative } from '../shared/format';
import { StatusBadge } from '../shared/StatusBadge';
import { KillSwitchDialog } from './KillSwitchDialog';

/** Who set the switch and when, e.g. "by user:default/carol, 5 min ago". */
function describeChange(killSwitch: KillSwitchView): string | undefined {
  if (killSwitch.source === 'config' || killSwitch.by === 'config') {
    return 'in app-config (mcpGateway.killSwitch)';
  }
  const parts = [
    killSwitch.by,
    killSwitch.changedAt && formatRelative(killSwitch.changedAt),
  ].filter(Boolean);
  return parts.length > 0 ? `by ${parts.join(', ')}` : undefined;
}

/**
 * The gateway's kill switch: a red banner while engaged (every agent
 * refused), a quiet card otherwise; either way the button to flip it.
 */
export function KillSwitchCard(props: {
  killSwitch: KillSwitchView;
  onChanged: (killSwitch: KillSwitchView) => void;
}) {
  const { killSwitch, onChanged } = props;
  const [isOpen, setOpen] = useState(false);
  const change = describeChange(killSwitch);
  const when = killSwitch.changedAt && (
    <time
      dateTime={killSwitch.changedAt}
      title={formatDateTime(killSwitch.changedAt)}
    >
      {formatRelative(killSwitch.changedAt)}
    </time>
  );

  const dialog = (
    <KillSwitchDialog
      killSwitch={killSwitch}
      isOpen={isOpen}
      onOpenChange={setOpen}
      onChanged={onChanged}
    />
  );

  if (killSwitch.engaged) {
    return (
      <section aria-label="Kill switch">
        <Alert
          status="danger"
          icon
          title="Kill switch engaged: the gateway refuses every agent's calls."
          description={
            <>
              {killSwitch.reason ? `Reason: ${killSwitch.reason}. ` : ''}
              {change ? `Engaged ${change}.` : ''}
            </>
          }
          customActions={
            <Button
              size="small"
              variant="secondary"
              onPress={() => setOpen(true)}
            >
              Release…
            </Button>
          }
        />
        {dialog}
      </section>
    );
  }

  return (
    <section aria-label="Kill switch">
      <Card>
        <CardBody>
          <Flex align="center" justify="between" gap="4">
            <Flex direction="column" gap="1">
              <Flex align="center" gap="2">
                <Text weight="bold">Kill switch</Text>
                <StatusBadge label="Released" color="var(--bui-fg-positive)" />
              </Flex>
              <Text variant="body-small" color="secondary">
                Agents are served under their policies.
                {killSwitch.by && (
                  <>
                    {' '}
                    Last released by {killSwitch.by}
                    {when && <>, {when}</>}
                    {killSwitch.reason && <>: {killSwitch.reason}</>}.
                  </>
                )}
              </Text>
            </Flex>
            <Button
              size="small"
              variant="secondary"
              destructive
              onPress={() => setOpen(true)}
            >
              Stop all agents…
            </Button>
          </Flex>
        </CardBody>
      </Card>
      {dialog}
    </section>
  );
}
