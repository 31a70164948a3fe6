import { Badge } from '@backstage/ui';

/** A colored dot and a word; the word carries the meaning, the color helps scanning. */
export function StatusBadge(props: { label: string; color: string }) {
  return (
    <Badge
      size="small"
      icon={
        <span
          aria-hidden
          style={{
            display: 'inline-block',
            width: 8,
            height: 8,
            borderRadius: '50%',
            background: props.color,
          }}
        />
      }
    >
      {props.label}
    </Badge>
  );
}
