import { Alert, Button } from '@backstage/ui';
import { isNotAdminError } from '../../api/AdminApiError';
import { NotAdminMessage } from './NotAdminMessage';

/**
 * A failed read: the server's message and a Retry; a 403 as "you are not an
 * admin" (retrying would not help until someone changes that).
 */
export function ErrorState(props: {
  title: string;
  error: Error;
  onRetry?: () => void;
}) {
  const { title, error, onRetry } = props;
  if (isNotAdminError(error)) {
    return <NotAdminMessage serverMessage={error.message} />;
  }
  return (
    <Alert
      status="danger"
      icon
      title={title}
      description={error.message}
      customActions={
        onRetry && (
          <Button size="small" variant="secondary" onPress={onRetry}>
            Retry
          </Button>
        )
      }
    />
  );
}
