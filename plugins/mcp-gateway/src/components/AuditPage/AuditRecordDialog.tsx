import {
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  Flex,
  Text,
} from '@backstage/ui';
import { AuditRecordView } from '@mcp-gateway/plugin-mcp-gateway-common';
import { formatDateTime } from '../shared/format';
import { recordFields } from './describeRecord';

/**
 * One audit record, every field of it, and its arguments as pretty JSON:
 * as the store holds them (the backend masked secrets and cut long values
 * before storing them).
 */
export function AuditRecordDialog(props: {
  record?: AuditRecordView;
  onClose: () => void;
}) {
  const { record, onClose } = props;
  return (
    <Dialog
      isOpen={record !== undefined}
      onOpenChange={open => !open && onClose()}
      width={720}
    >
      {record && <RecordDetails record={record} onClose={onClose} />}
    </Dialog>
  );
}

function RecordDetails(props: {
  record: AuditRecordView;
  onClose: () => void;
}) {
  const { record, onClose } = props;
  return (
    <>
      <DialogHeader>Audit record of {formatDateTime(record.time)}</DialogHeader>
      <DialogBody>
        <Flex direction="column" gap="4">
          <dl
            style={{
              display: 'grid',
              gridTemplateColumns: 'max-content 1fr',
              columnGap: 'var(--bui-space-4)',
              rowGap: 'var(--bui-space-1)',
              margin: 0,
            }}
          >
            {recordFields(record).map(({ label, value }) => (
              <div key={label} style={{ display: 'contents' }}>
                <dt>
                  <Text variant="body-small" color="secondary">
                    {label}
                  </Text>
                </dt>
                <dd style={{ margin: 0, overflowWrap: 'anywhere' }}>
                  <Text variant="body-small">{value}</Text>
                </dd>
              </div>
            ))}
          </dl>
          <section
            aria-labelledby={`args-${record.id}`}
            style={{
              display: 'flex',
              flexDirection: 'column',
              gap: 'var(--bui-space-1)',
            }}
          >
            <Text
              as="h3"
              variant="body-small"
              weight="bold"
              id={`args-${record.id}`}
            >
              Arguments
            </Text>
            {record.arguments === undefined ? (
              <Text variant="body-small" color="secondary">
                No arguments recorded.
              </Text>
            ) : (
              <pre
                // Focusable, so a keyboard can scroll long arguments.
                // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
                tabIndex={0}
                style={{
                  margin: 0,
                  padding: 'var(--bui-space-3)',
                  maxHeight: 320,
                  overflow: 'auto',
                  fontSize: 12,
                  borderRadius: 'var(--bui-radius-2)',
                  background: 'var(--bui-bg-neutral-2)',
                }}
              >
                {JSON.stringify(record.arguments, null, 2)}
              </pre>
            )}
          </section>
        </Flex>
      </DialogBody>
      <DialogFooter>
        <Button variant="secondary" onPress={onClose}>
          Close
        </Button>
      </DialogFooter>
    </>
  );
}
