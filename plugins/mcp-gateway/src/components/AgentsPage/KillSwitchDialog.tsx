import { useApi } from '@backstage/frontend-plugin-api';
import {
  Alert,
  Dialog,
  DialogBody,
  DialogHeader,
  Flex,
  Text,
  TextField,
} from '@backstage/ui';
import { KillSwitchView } from '@mcp-gateway/plugin-mcp-gateway-common';
import { FormEvent, useState } from 'react';
import { mcpGatewayAdminApiRef } from '../../api/McpGatewayAdminApi';
import {
  ChangeError,
  ChangeFooter,
  ReasonField,
  useChange,
} from '../shared/ChangeForm';

/** What an admin types to stop every agent: hard to do by accident. */
export const ENGAGE_PHRASE = 'stop all agents';

export interface KillSwitchDialogProps {
  killSwitch: KillSwitchView;
  isOpen: boolean;
  onOpenChange: (isOpen: boolean) => void;
  onChanged: (killSwitch: KillSwitchView) => void;
}

/** Engages the kill switch (phrase and reason required) or releases it (reason optional). */
export function KillSwitchDialog(props: KillSwitchDialogProps) {
  const { isOpen, onOpenChange } = props;
  return (
    <Dialog isOpen={isOpen} onOpenChange={onOpenChange} width={520}>
      {/* Mounted only while open, so every opening starts empty. */}
      {isOpen && <KillSwitchForm {...props} />}
    </Dialog>
  );
}

function KillSwitchForm(props: KillSwitchDialogProps) {
  const { killSwitch, onOpenChange, onChanged } = props;
  const api = useApi(mcpGatewayAdminApiRef);
  const engaging = !killSwitch.engaged;
  const [phrase, setPhrase] = useState('');
  const [reason, setReason] = useState('');
  const { pending, error, run } = useChange(onChanged, () =>
    onOpenChange(false),
  );

  const trimmed = reason.trim();
  const confirmed = !engaging || phrase.trim() === ENGAGE_PHRASE;
  const canSubmit = !pending && confirmed && (!engaging || trimmed.length > 0);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit) return;
    await run(() =>
      api.setKillSwitch({ engaged: engaging, reason: trimmed || undefined }),
    );
  };

  return (
    <form onSubmit={submit}>
      <DialogHeader>
        {engaging ? 'Stop all agents' : 'Release the kill switch'}
      </DialogHeader>
      <DialogBody>
        <Flex direction="column" gap="3">
          {engaging ? (
            <Alert
              status="danger"
              icon
              title="Every agent's calls will be refused, on every replica, until an admin releases the switch."
            />
          ) : (
            <Text as="p">
              Agents are served again within seconds, each under its own policy;
              agents disabled one by one stay disabled.
            </Text>
          )}
          {!engaging && killSwitch.source === 'config' && (
            <Text as="p" color="secondary">
              app-config engages this switch (mcpGateway.killSwitch); change it
              there.
            </Text>
          )}
          {engaging && (
            <TextField
              label={`Type "${ENGAGE_PHRASE}" to confirm`}
              // A dialog's first field takes the focus (WAI-ARIA's dialog pattern).
              // eslint-disable-next-line jsx-a11y/no-autofocus
              autoFocus
              value={phrase}
              onChange={setPhrase}
              autoComplete="off"
            />
          )}
          <ReasonField
            required={engaging}
            takesFocus={!engaging}
            value={reason}
            onChange={setReason}
            placeholder={
              engaging
                ? 'e.g. Agents writing to the catalog unexpectedly (INC-1234)'
                : 'e.g. INC-1234 resolved'
            }
          />
          <ChangeError error={error} />
        </Flex>
      </DialogBody>
      <ChangeFooter
        submitLabel={engaging ? 'Stop all agents' : 'Release kill switch'}
        stops={engaging}
        canSubmit={canSubmit}
        pending={pending}
        onCancel={() => onOpenChange(false)}
      />
    </form>
  );
}
