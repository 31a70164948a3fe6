import { Cell, Column, Text, TextColorStatus } from '@backstage/ui';
import { formatCount } from './format';
import styles from './table.module.css';

/**
 * A count, right-aligned; `attention` colors it when it is not zero
 * (refusals, errors). (Not `value`: react-aria gives a table's cells their
 * row's item under that name.)
 */
export function NumberCell(props: {
  count: number;
  attention?: TextColorStatus;
}) {
  const { count, attention } = props;
  return (
    <Cell className={styles.numeric}>
      <Text color={count > 0 && attention ? attention : 'primary'}>
        {formatCount(count)}
      </Text>
    </Cell>
  );
}

/** The header of a numeric column, right-aligned like its cells. */
export function NumberColumn(props: {
  id: string;
  label: string;
  isSortable?: boolean;
  width?: number;
}) {
  return (
    <Column
      id={props.id}
      allowsSorting={props.isSortable}
      width={props.width}
      className={styles.numeric}
    >
      {props.label}
    </Column>
  );
}
