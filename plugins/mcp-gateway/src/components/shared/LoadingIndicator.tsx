import { Flex, Skeleton } from '@backstage/ui';

/** An indeterminate progress indicator, named for what is loading. */
export function LoadingIndicator(props: { label: string; rows?: number }) {
  const rows = props.rows ?? 3;
  return (
    <Flex
      direction="column"
      gap="2"
      role="progressbar"
      aria-label={props.label}
    >
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} width="100%" height={28} />
      ))}
    </Flex>
  );
}
