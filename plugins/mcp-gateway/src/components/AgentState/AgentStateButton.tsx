import { Button } from '@backstage/ui';
import {
  AgentStateChange,
  AgentView,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { useState } from 'react';
import { actionFor, AgentStateDialog } from './AgentStateDialog';

/** "Disable" or "Enable", opening the reason dialog. */
export function AgentStateButton(props: {
  agent: Pick<AgentView, 'id' | 'state' | 'configKey'>;
  onChanged: (change: AgentStateChange) => void;
  size?: 'small' | 'medium';
}) {
  const { agent, onChanged, size = 'small' } = props;
  const [isOpen, setOpen] = useState(false);
  const action = actionFor(agent);
  const label = action === 'disable' ? 'Disable' : 'Enable';
  return (
    <>
      <Button
        size={size}
        variant="secondary"
        destructive={action === 'disable'}
        aria-label={`${label} ${agent.id}`}
        onPress={() => setOpen(true)}
      >
        {label}
      </Button>
      <AgentStateDialog
        agent={agent}
        action={action}
        isOpen={isOpen}
        onOpenChange={setOpen}
        onChanged={onChanged}
      />
    </>
  );
}
