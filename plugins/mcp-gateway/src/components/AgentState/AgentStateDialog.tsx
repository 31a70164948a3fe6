import { useApi } from '@backstage/frontend-plugin-api';
import { Dialog, DialogBody, DialogHeader, Flex, Text } from '@backstage/ui';
import {
  AgentStateChange,
  AgentView,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { FormEvent, useState } from 'react';
import { mcpGatewayAdminApiRef } from '../../api/McpGatewayAdminApi';
import {
  ChangeError,
  ChangeFooter,
  ReasonField,
  useChange,
} from '../shared/ChangeForm';

export type AgentStateAction = 'disable' | 'enable';

/** Disable, unless disabled: then enable (a stopped gateway's agents can still be disabled one by one). */
export function actionFor(agent: Pick<AgentView, 'state'>): AgentStateAction {
  return agent.state.state === 'disabled' ? 'enable' : 'disable';
}

export interface AgentStateDialogProps {
  agent: Pick<AgentView, 'id' | 'state' | 'configKey'>;
  action: AgentStateAction;
  isOpen: boolean;
  onOpenChange: (isOpen: boolean) => void;
  /** Called with the server's answer once the agent's state has changed. */
  onChanged: (change: AgentStateChange) => void;
}

/** Asks for the reason, then disables or enables the agent; the server's refusal stays in the dialog. */
export function AgentStateDialog(props: AgentStateDialogProps) {
  const { isOpen, onOpenChange } = props;
  return (
    <Dialog isOpen={isOpen} onOpenChange={onOpenChange} width={480}>
      {/* Mounted only while open, so every opening starts empty. */}
      {isOpen && <AgentStateForm {...props} />}
    </Dialog>
  );
}

function AgentStateForm(props: AgentStateDialogProps) {
  const { agent, action, onOpenChange, onChanged } = props;
  const api = useApi(mcpGatewayAdminApiRef);
  const [reason, setReason] = useState('');
  const { pending, error, run } = useChange(onChanged, () =>
    onOpenChange(false),
  );

  const disabling = action === 'disable';
  const trimmed = reason.trim();
  const canSubmit = !pending && (!disabling || trimmed.length > 0);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit) return;
    await run(() =>
      disabling
        ? api.disableAgent(agent.id, trimmed)
        : api.enableAgent(agent.id, trimmed || undefined),
    );
  };

  return (
    <form onSubmit={submit}>
      <DialogHeader>
        {disabling ? `Disable ${agent.id}` : `Enable ${agent.id}`}
      </DialogHeader>
      <DialogBody>
        <Flex direction="column" gap="3">
          <Text as="p">
            {disabling
              ? 'Every replica refuses its calls within seconds, until an admin enables it again. The reason is kept in the audit trail.'
              : 'Every replica serves it again within seconds, under its policy. The reason is kept in the audit trail.'}
          </Text>
          {!disabling && agent.state.by === 'config' && (
            <Text as="p" color="secondary">
              {`app-config disables this agent (${agent.configKey}.enabled); change it there.`}
            </Text>
          )}
          <ReasonField
            required={disabling}
            takesFocus
            value={reason}
            onChange={setReason}
            placeholder={
              disabling
                ? 'e.g. Investigating unexpected writes (INC-1234)'
                : 'e.g. Fixed in policy v2'
            }
          />
          <ChangeError error={error} />
        </Flex>
      </DialogBody>
      <ChangeFooter
        submitLabel={disabling ? 'Disable agent' : 'Enable agent'}
        stops={disabling}
        canSubmit={canSubmit}
        pending={pending}
        onCancel={() => onOpenChange(false)}
      />
    </form>
  );
}
