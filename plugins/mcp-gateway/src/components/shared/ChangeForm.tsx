import { Alert, Button, DialogFooter, TextField } from '@backstage/ui';
import { useState } from 'react';

/** The admin API's limit on a reason's length. */
export const MAX_REASON_LENGTH = 500;

/** Why an admin changes the gateway: kept in the audit trail, shown to refused agents. */
export function ReasonField(props: {
  required: boolean;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  /** The dialog's first field takes the focus (WAI-ARIA's dialog pattern). */
  takesFocus?: boolean;
}) {
  const { required, value, onChange, placeholder, takesFocus } = props;
  return (
    <TextField
      label="Reason"
      secondaryLabel={required ? 'Required' : 'Optional'}
      isRequired={required}
      // eslint-disable-next-line jsx-a11y/no-autofocus
      autoFocus={takesFocus}
      value={value}
      onChange={onChange}
      maxLength={MAX_REASON_LENGTH}
      placeholder={placeholder}
    />
  );
}

/** What the server said no with, in the dialog, where the admin can act on it. */
export function ChangeError({ error }: { error?: string }) {
  return error ? <Alert status="danger" icon title={error} /> : null;
}

/** Cancel, and the button that makes the change (red when it stops agents). */
export function ChangeFooter(props: {
  submitLabel: string;
  stops: boolean;
  canSubmit: boolean;
  pending: boolean;
  onCancel: () => void;
}) {
  const { submitLabel, stops, canSubmit, pending, onCancel } = props;
  return (
    <DialogFooter>
      <Button variant="secondary" onPress={onCancel}>
        Cancel
      </Button>
      <Button
        type="submit"
        variant="primary"
        destructive={stops}
        isDisabled={!canSubmit}
        isPending={pending}
      >
        {submitLabel}
      </Button>
    </DialogFooter>
  );
}

/**
 * Makes a change once at a time: its answer goes to `onChanged` and the
 * dialog closes; a refusal stays in the dialog, which stays open.
 */
export function useChange<T>(
  onChanged: (answer: T) => void,
  close: () => void,
) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (change: () => Promise<T>) => {
    setPending(true);
    setError(undefined);
    try {
      onChanged(await change());
      close();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setPending(false);
    }
  };
  return { pending, error, run };
}
