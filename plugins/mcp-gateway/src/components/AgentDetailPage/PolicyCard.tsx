import { Text } from '@backstage/ui';
import { AgentView } from '@mcp-gateway/plugin-mcp-gateway-common';
import { SectionCard } from '../shared/SectionCard';
import { describePolicy } from './describePolicy';

/** The agent's policy in plain sentences, one per topic, and where it is written. */
export function PolicyCard(props: { agent: AgentView }) {
  const { agent } = props;
  return (
    <SectionCard
      title="Policy"
      subtitle={`As app-config writes it, at ${agent.configKey}.`}
    >
      <dl
        style={{
          display: 'grid',
          gridTemplateColumns: 'max-content 1fr',
          columnGap: 'var(--bui-space-4)',
          rowGap: 'var(--bui-space-2)',
          margin: 0,
        }}
      >
        {describePolicy(agent.policy).map(({ topic, sentence }) => (
          <div key={topic} style={{ display: 'contents' }}>
            <dt>
              <Text variant="body-medium" color="secondary">
                {topic}
              </Text>
            </dt>
            <dd style={{ margin: 0 }}>
              <Text variant="body-medium">{sentence}</Text>
            </dd>
          </div>
        ))}
      </dl>
    </SectionCard>
  );
}
