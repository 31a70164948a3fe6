import { Card, CardBody, CardHeader, Flex, Text } from '@backstage/ui';
import { ReactNode, useId } from 'react';

/** A card that is a labelled region of the page: its heading names it for screen readers too. */
export function SectionCard(props: {
  title: string;
  subtitle?: string;
  /** Controls on the heading's right, e.g. a window selector. */
  actions?: ReactNode;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} style={{ minWidth: 0 }}>
      <Card>
        <CardHeader>
          <Flex justify="between" align="center" gap="3">
            <Flex direction="column" gap="1">
              <Text as="h2" variant="title-x-small" id={headingId}>
                {props.title}
              </Text>
              {props.subtitle && (
                <Text variant="body-small" color="secondary">
                  {props.subtitle}
                </Text>
              )}
            </Flex>
            {props.actions}
          </Flex>
        </CardHeader>
        <CardBody>{props.children}</CardBody>
      </Card>
    </section>
  );
}
