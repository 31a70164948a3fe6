import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import plugin from './index';
import { mcpGatewayAdminApiRef } from './api/McpGatewayAdminApi';
import { overview } from './__testUtils__/fixtures';
import { mockAdminApi } from './__testUtils__/mockAdminApi';
import { tolerateConsole } from './__testUtils__/consoleGuard';

// react-aria's tables take a while to render in jsdom.
jest.setTimeout(20_000);

describe('mcpGatewayPlugin', () => {
  it('is the mcp-gateway plugin', () => {
    expect(plugin.id).toBe('mcp-gateway');
  });

  it('opens /mcp-gateway on the Agents tab, with the Audit tab beside it', async () => {
    // Backstage's app shell (its Material UI sidebar, the header's tabs)
    // says these in tests; the plugin's own pages are tested on their own.
    tolerateConsole(
      /\[JSS\] processedRuleToParse/,
      /A component changed from uncontrolled to controlled/,
      /<Focusable> child must have an interactive ARIA role/,
    );
    const api = mockAdminApi({ listAgents: async () => overview() });
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/mcp-gateway'],
      apis: [[mcpGatewayAdminApiRef, api], mockApis.permission()],
    });

    expect(
      await screen.findByRole(
        'link',
        { name: 'incident-copilot' },
        { timeout: 10_000 },
      ),
    ).toHaveAttribute('href', '/mcp-gateway/agents/incident-copilot');
    expect(screen.getByRole('tab', { name: 'Agents' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Audit' })).toBeInTheDocument();
  });
});
