import {
  Button,
  Card,
  CardBody,
  FieldLabel,
  Flex,
  Grid,
  Select,
  Text,
  TextField,
} from '@backstage/ui';
import { AuditFilterQuery } from '@mcp-gateway/plugin-mcp-gateway-common';
import { FormEvent, useId, useState } from 'react';
import {
  DECISIONS,
  DEFAULT_SHOW,
  OUTCOMES,
  showOptions,
  withoutEmpty,
} from './auditFilters';
import styles from './AuditFiltersForm.module.css';

const ANY = 'any';

const RANGES = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
];

function options(values: readonly string[], anyLabel: string) {
  return [
    { id: ANY, label: anyLabel },
    ...values.map(value => ({ id: value, label: value })),
  ];
}

/**
 * The audit filters, edited as a draft and applied together (Enter or
 * Apply; "Show" and the quick ranges apply at once, with the draft); the
 * page keeps the applied ones in the URL. Mounted afresh when they change
 * there (`key`), so the fields always show what applies.
 */
export function AuditFiltersForm(props: {
  filters: AuditFilterQuery;
  onApply: (filters: AuditFilterQuery) => void;
  /** For "Last hour" and friends; tests fix it. */
  now?: () => number;
}) {
  const { filters, onApply, now = Date.now } = props;
  const [draft, setDraft] = useState<AuditFilterQuery>(filters);
  const rangeLabelId = useId();

  const text = (
    key: 'agent' | 'user' | 'tool' | 'reason' | 'since' | 'until',
  ) => ({
    value: draft[key] ?? '',
    onChange: (value: string) => setDraft(d => ({ ...d, [key]: value })),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(withoutEmpty(draft));
  };

  const applyNow = (next: AuditFilterQuery) => onApply(withoutEmpty(next));

  return (
    <Card>
      <CardBody>
        <form onSubmit={submit} aria-label="Audit filters">
          <Flex direction="column" gap="3">
            <Grid.Root columns={{ initial: '1', sm: '2', md: '4' }} gap="3">
              <Grid.Item colSpan={{ initial: '1', sm: '2' }}>
                <Select
                  label="Show"
                  options={showOptions(draft.kind)}
                  value={draft.kind ?? DEFAULT_SHOW}
                  // Which records the trail lists at all: applied at once,
                  // with the other fields as they are.
                  onChange={key => {
                    if (key === null) return;
                    applyNow({
                      ...draft,
                      kind: key === DEFAULT_SHOW ? undefined : String(key),
                    });
                  }}
                />
              </Grid.Item>
              <Select
                label="Decision"
                options={options(DECISIONS, 'Any decision')}
                value={draft.decision ?? ANY}
                onChange={key =>
                  setDraft(d => ({
                    ...d,
                    decision:
                      key === ANY
                        ? undefined
                        : (key as AuditFilterQuery['decision']),
                  }))
                }
              />
              <Select
                label="Outcome"
                options={options(OUTCOMES, 'Any outcome')}
                value={draft.outcome ?? ANY}
                onChange={key =>
                  setDraft(d => ({
                    ...d,
                    outcome:
                      key === ANY
                        ? undefined
                        : (key as AuditFilterQuery['outcome']),
                  }))
                }
              />
              <TextField
                label="Agent"
                placeholder="Any agent"
                {...text('agent')}
              />
              <TextField
                label="User"
                placeholder="Any, e.g. user:default/jane.doe"
                {...text('user')}
              />
              <TextField
                label="Tool"
                placeholder="Any, e.g. get_entity"
                {...text('tool')}
              />
              <TextField
                label="Reason"
                placeholder="Any, e.g. tool-not-allowed"
                {...text('reason')}
              />
              <TextField
                label="Since"
                placeholder="The beginning"
                {...text('since')}
              />
              <TextField label="Until" placeholder="Now" {...text('until')} />
              <Grid.Item colSpan={{ initial: '1', sm: '2' }}>
                <div
                  role="group"
                  aria-labelledby={rangeLabelId}
                  className={styles.quickRanges}
                >
                  <FieldLabel label="Quick range" id={rangeLabelId} />
                  <Flex gap="1" align="center" className={styles.noWrap}>
                    {RANGES.map(range => (
                      <Button
                        key={range.label}
                        size="small"
                        variant="secondary"
                        onPress={() =>
                          applyNow({
                            ...draft,
                            since: new Date(now() - range.ms).toISOString(),
                            until: undefined,
                          })
                        }
                      >
                        {range.label}
                      </Button>
                    ))}
                  </Flex>
                </div>
              </Grid.Item>
            </Grid.Root>
            <Flex justify="between" align="center" gap="3">
              <Text variant="body-small" color="secondary">
                Each filter matches exactly. Times are ISO 8601
                (2025-06-01T09:00:00Z) or ms since the epoch.
              </Text>
              <Flex gap="2" className={styles.noWrap}>
                <Button
                  variant="secondary"
                  onPress={() => {
                    setDraft({});
                    onApply({});
                  }}
                >
                  Clear
                </Button>
                <Button type="submit" variant="primary">
                  Apply
                </Button>
              </Flex>
            </Flex>
          </Flex>
        </form>
      </CardBody>
    </Card>
  );
}
