import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { AuditPage as AuditPageView } from '@mcp-gateway/plugin-mcp-gateway-common';
import { AdminApiError } from '../../api/AdminApiError';
import { auditRecord, minutesAgo } from '../../__testUtils__/fixtures';
import { mockAdminApi } from '../../__testUtils__/mockAdminApi';
import { renderAdminPage } from '../../__testUtils__/renderAdminPage';
import { AuditPage } from './AuditPage';
import { downloadBlob } from './downloadBlob';
import { formatDateTime, formatTimeAndDate } from '../shared/format';
import {
  CELL_NEEDS,
  columnWidths,
  layTablesOutAt,
  TABLE_WIDTH_AT_1400,
} from '../../__testUtils__/tableLayout';

jest.mock('./downloadBlob', () => ({ downloadBlob: jest.fn() }));

// react-aria's tables take a while to render in jsdom.
jest.setTimeout(20_000);

/** Shows where the test app is, as the address bar would. */
function Location() {
  const location = useLocation();
  return (
    <output aria-label="location">{location.pathname + location.search}</output>
  );
}

function renderAudit(
  api: ReturnType<typeof mockAdminApi>,
  path = '/mcp-gateway/audit',
) {
  return renderAdminPage(
    <>
      <AuditPage />
      <Location />
    </>,
    { api, path },
  );
}

function page(records: AuditPageView['records'], nextCursor?: string) {
  return { records, ...(nextCursor && { nextCursor }) };
}

function addressBar() {
  return screen.getByRole('status', { name: 'location' });
}

async function show(user: ReturnType<typeof userEvent.setup>, label: string) {
  await user.click(screen.getByRole('button', { name: /Show/ }));
  await user.click(screen.getByRole('option', { name: label }));
}

describe('AuditPage', () => {
  afterEach(() => jest.mocked(downloadBlob).mockReset());

  it('reads the filters from the URL and shows the records', async () => {
    const api = mockAdminApi({
      queryAudit: async () =>
        page([
          auditRecord({
            id: 'r1',
            decision: 'refused',
            stage: 'policy',
            reason: 'tool-not-allowed',
            outcome: 'ok',
            operation: {
              kind: 'tool',
              name: 'refresh_entity',
              access: 'write',
            },
            onBehalfOf: 'user:default/jane',
            principal: 'service:portal',
          }),
        ]),
    });
    renderAudit(
      api,
      '/mcp-gateway/audit?agent=incident-copilot&reason=tool-not-allowed&bogus=1',
    );

    expect(await screen.findByText('refresh_entity')).toBeInTheDocument();
    expect(api.queryAudit).toHaveBeenCalledWith(
      {
        agent: 'incident-copilot',
        reason: 'tool-not-allowed',
        kind: 'mcp,admin-change',
        limit: 50,
        cursor: undefined,
      },
      expect.anything(),
    );
    expect(screen.getByRole('textbox', { name: 'Agent' })).toHaveValue(
      'incident-copilot',
    );
    expect(screen.getByRole('textbox', { name: /Reason/ })).toHaveValue(
      'tool-not-allowed',
    );
    const row = within(screen.getAllByRole('row')[1]);
    expect(row.getByText('user:default/jane')).toBeInTheDocument();
    expect(row.getByText('via service:portal')).toBeInTheDocument();
    expect(row.getByText('tool, write')).toBeInTheDocument();
    expect(row.getByText('refused')).toBeInTheDocument();
    expect(row.getByText('tool-not-allowed')).toBeInTheDocument();
    expect(row.getByText('42 ms')).toBeInTheDocument();
    expect(row.getByRole('link', { name: 'incident-copilot' })).toHaveAttribute(
      'href',
      '/mcp-gateway/agents/incident-copilot',
    );
  });

  it('puts applied filters in the request and the URL, and starts over', async () => {
    const user = userEvent.setup();
    const api = mockAdminApi({ queryAudit: async () => page([]) });
    renderAudit(api);
    await screen.findByText(
      'No MCP requests or admin changes are recorded yet.',
    );

    await user.type(
      screen.getByRole('textbox', { name: 'Tool' }),
      'get_entity',
    );
    await user.type(
      screen.getByRole('textbox', { name: /User/ }),
      'user:default/jane doe',
    );
    await user.click(screen.getByRole('button', { name: /Decision/ }));
    await user.click(screen.getByRole('option', { name: 'refused' }));
    await user.type(
      screen.getByRole('textbox', { name: /Since/ }),
      '2025-06-01T00:00:00Z',
    );
    await user.click(screen.getByRole('button', { name: 'Apply' }));

    await waitFor(() =>
      expect(api.queryAudit).toHaveBeenLastCalledWith(
        {
          user: 'user:default/jane doe',
          tool: 'get_entity',
          decision: 'refused',
          kind: 'mcp,admin-change',
          since: '2025-06-01T00:00:00Z',
          limit: 50,
          cursor: undefined,
        },
        expect.anything(),
      ),
    );
    expect(screen.getByRole('status', { name: 'location' })).toHaveTextContent(
      '/mcp-gateway/audit?user=user%3Adefault%2Fjane+doe&tool=get_entity&decision=refused&since=2025-06-01T00%3A00%3A00Z',
    );
    expect(
      await screen.findByText('No audit records match these filters.'),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'location' }),
      ).toHaveTextContent(/^\/mcp-gateway\/audit$/),
    );
    expect(screen.getByRole('textbox', { name: 'Tool' })).toHaveValue('');
  });

  it('pages through the trail with cursors, forward and back', async () => {
    const user = userEvent.setup();
    const pages: Record<string, ReturnType<typeof page>> = {
      first: page(
        [auditRecord({ id: 'a', operation: { kind: 'tool', name: 'tool_a' } })],
        'c2',
      ),
      c2: page(
        [auditRecord({ id: 'b', operation: { kind: 'tool', name: 'tool_b' } })],
        'c3',
      ),
      c3: page([
        auditRecord({ id: 'c', operation: { kind: 'tool', name: 'tool_c' } }),
      ]),
    };
    const api = mockAdminApi({
      queryAudit: async query => pages[query.cursor ?? 'first'],
    });
    renderAudit(api, '/mcp-gateway/audit?agent=bot');
    await screen.findByText('tool_a');
    const newer = screen.getByRole('button', { name: 'Newer' });
    const older = screen.getByRole('button', { name: 'Older' });
    expect(newer).toBeDisabled();

    await user.click(older);
    expect(await screen.findByText('tool_b')).toBeInTheDocument();
    expect(screen.queryByText('tool_a')).not.toBeInTheDocument();
    expect(
      screen.getByText('Page 2, 1 record, newest first'),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Older' }));
    expect(await screen.findByText('tool_c')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Newer' }));
    expect(await screen.findByText('tool_b')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Newer' }));
    expect(await screen.findByText('tool_a')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Newer' })).toBeDisabled();

    expect(api.queryAudit.mock.calls.map(([query]) => query.cursor)).toEqual([
      undefined,
      'c2',
      'c3',
      'c2',
      undefined,
    ]);
    for (const [query] of api.queryAudit.mock.calls) {
      expect(query.agent).toBe('bot');
    }
  });

  it("shows a record's every field and its arguments as JSON", async () => {
    const user = userEvent.setup();
    const record = auditRecord({
      id: 'r-42',
      time: minutesAgo(3),
      onBehalfOf: 'user:default/jane',
      client: { name: 'claude-code', version: '1.2.0' },
      protocolVersion: '2025-06-18',
      arguments: { entityRef: 'component:default/api', token: '***' },
      resultBytes: 2048,
    });
    const api = mockAdminApi({ queryAudit: async () => page([record]) });
    renderAudit(api);
    await screen.findByText('get_entity');

    await user.click(
      screen.getByRole('button', {
        name: `Details of the record of ${formatDateTime(record.time)}`,
      }),
    );

    const dialog = await screen.findByRole('dialog');
    for (const text of [
      'r-42',
      'req-r-42',
      'replica-a',
      'claude-code 1.2.0',
      '2025-06-18',
      'tools/call',
      'tool get_entity, read',
      `${(2048).toLocaleString()} bytes`,
    ]) {
      expect(within(dialog).getByText(text)).toBeInTheDocument();
    }
    expect(
      within(dialog).getByRole('region', { name: 'Arguments' }),
    ).toHaveTextContent(
      JSON.stringify(
        { entityRef: 'component:default/api', token: '***' },
        null,
        2,
      ),
      { normalizeWhitespace: false },
    );
  });

  it('shows admin actions by their method', async () => {
    const api = mockAdminApi({
      queryAudit: async () =>
        page([
          auditRecord({
            id: 'admin-1',
            agent: undefined,
            operation: undefined,
            principal: 'user:default/carol',
            onBehalfOf: 'user:default/carol',
            method: 'admin: POST agents/disable',
            arguments: { agent: 'onboarding-bot', reason: 'INC-2211' },
          }),
        ]),
    });
    renderAudit(api);

    expect(
      await screen.findByText('admin: POST agents/disable'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('admin action on onboarding-bot'),
    ).toBeInTheDocument();
    // An admin calls for themselves: no "via" themselves again.
    const row = within(screen.getAllByRole('row')[1]);
    expect(row.getByText('user:default/carol')).toBeInTheDocument();
    expect(row.queryByText(/^via /)).not.toBeInTheDocument();
  });

  it('exports the filtered trail as an NDJSON file', async () => {
    const user = userEvent.setup();
    const blob = new Blob(['{"id":"a"}\n'], { type: 'application/x-ndjson' });
    const api = mockAdminApi({
      queryAudit: async () => page([]),
      exportAudit: async () => blob,
    });
    renderAudit(api, '/mcp-gateway/audit?agent=bot&outcome=error');
    await screen.findByText('No audit records match these filters.');

    const button = screen.getByRole('button', { name: 'Export NDJSON' });
    // Beside the page's description, it keeps its one line.
    expect(button.parentElement).toHaveStyle({ flexShrink: '0' });
    await user.click(button);

    await waitFor(() => expect(downloadBlob).toHaveBeenCalled());
    expect(api.exportAudit).toHaveBeenCalledWith({
      agent: 'bot',
      outcome: 'error',
      kind: 'mcp,admin-change',
    });
    expect(downloadBlob).toHaveBeenCalledWith(
      blob,
      expect.stringMatching(
        /^mcp-gateway-audit-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.ndjson$/,
      ),
    );
  });

  it('shows why an export failed', async () => {
    const user = userEvent.setup();
    const api = mockAdminApi({
      queryAudit: async () => page([]),
      exportAudit: () =>
        Promise.reject(
          new AdminApiError({ status: 400, message: 'since is not a date' }),
        ),
    });
    renderAudit(api, '/mcp-gateway/audit?since=yesterday');
    await screen.findByText('No audit records match these filters.');

    await user.click(screen.getByRole('button', { name: 'Export NDJSON' }));

    expect(await screen.findByText('The export failed.')).toBeInTheDocument();
    expect(screen.getByText('since is not a date')).toBeInTheDocument();
    expect(downloadBlob).not.toHaveBeenCalled();
  });

  it('shows progress, then an error with a Retry', async () => {
    const user = userEvent.setup();
    let fail: (error: Error) => void = () => {};
    const api = mockAdminApi();
    api.queryAudit
      .mockImplementationOnce(
        () =>
          new Promise((_, reject) => {
            fail = reject;
          }),
      )
      .mockResolvedValue(page([]));
    renderAudit(api);

    expect(
      await screen.findByRole('progressbar', { name: 'Loading audit records' }),
    ).toBeInTheDocument();
    fail(new AdminApiError({ status: 503, message: 'The database is down.' }));

    expect(
      await screen.findByText('Could not load the audit trail.'),
    ).toBeInTheDocument();
    expect(screen.getByText('The database is down.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText(
        'No MCP requests or admin changes are recorded yet.',
      ),
    ).toBeInTheDocument();
  });

  it("leaves out the admin page's own reads by default; Show changes that at once, in the URL", async () => {
    const user = userEvent.setup();
    const api = mockAdminApi({ queryAudit: async () => page([]) });
    renderAudit(api);
    await screen.findByText(
      'No MCP requests or admin changes are recorded yet.',
    );
    expect(api.queryAudit).toHaveBeenLastCalledWith(
      { kind: 'mcp,admin-change', limit: 50, cursor: undefined },
      expect.anything(),
    );
    expect(screen.getByRole('button', { name: /Show/ })).toHaveTextContent(
      'MCP requests and admin changes',
    );

    // A field being edited goes along.
    await user.type(screen.getByRole('textbox', { name: 'Agent' }), 'bot');
    await show(user, "Everything, including the admin page's own reads");
    await waitFor(() =>
      expect(addressBar()).toHaveTextContent(
        '/mcp-gateway/audit?agent=bot&kind=all',
      ),
    );
    await waitFor(() =>
      expect(api.queryAudit).toHaveBeenLastCalledWith(
        { agent: 'bot', limit: 50, cursor: undefined },
        expect.anything(),
      ),
    );
    expect(screen.getByRole('textbox', { name: 'Agent' })).toHaveValue('bot');

    await show(user, 'MCP requests only');
    await waitFor(() =>
      expect(addressBar()).toHaveTextContent(
        '/mcp-gateway/audit?agent=bot&kind=mcp',
      ),
    );
    expect(api.queryAudit).toHaveBeenLastCalledWith(
      { agent: 'bot', kind: 'mcp', limit: 50, cursor: undefined },
      expect.anything(),
    );

    await show(user, 'Admin API requests');
    await waitFor(() =>
      expect(addressBar()).toHaveTextContent(
        '/mcp-gateway/audit?agent=bot&kind=admin-read%2Cadmin-change',
      ),
    );
    expect(api.queryAudit).toHaveBeenLastCalledWith(
      {
        agent: 'bot',
        kind: 'admin-read,admin-change',
        limit: 50,
        cursor: undefined,
      },
      expect.anything(),
    );

    await show(user, 'MCP requests and admin changes');
    await waitFor(() =>
      expect(addressBar()).toHaveTextContent(
        /^\/mcp-gateway\/audit\?agent=bot$/,
      ),
    );
    expect(api.queryAudit).toHaveBeenLastCalledWith(
      {
        agent: 'bot',
        kind: 'mcp,admin-change',
        limit: 50,
        cursor: undefined,
      },
      expect.anything(),
    );

    await show(user, 'MCP requests only');
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() =>
      expect(addressBar()).toHaveTextContent(/^\/mcp-gateway\/audit$/),
    );
    expect(screen.getByRole('button', { name: /Show/ })).toHaveTextContent(
      'MCP requests and admin changes',
    );
  });

  it('keeps "everything" over a reload (kind=all) and exports everything then', async () => {
    const user = userEvent.setup();
    const blob = new Blob([''], { type: 'application/x-ndjson' });
    const api = mockAdminApi({
      queryAudit: async () => page([]),
      exportAudit: async () => blob,
    });
    renderAudit(api, '/mcp-gateway/audit?kind=all');

    expect(
      await screen.findByText('The audit trail is empty.'),
    ).toBeInTheDocument();
    expect(api.queryAudit).toHaveBeenCalledWith(
      { limit: 50, cursor: undefined },
      expect.anything(),
    );
    expect(screen.getByRole('button', { name: /Show/ })).toHaveTextContent(
      "Everything, including the admin page's own reads",
    );

    await user.click(screen.getByRole('button', { name: 'Export NDJSON' }));
    await waitFor(() => expect(downloadBlob).toHaveBeenCalled());
    expect(api.exportAudit).toHaveBeenCalledWith({});
  });

  it('shows a kind the choices do not name, as the URL gives it', async () => {
    const api = mockAdminApi({ queryAudit: async () => page([]) });
    renderAudit(api, '/mcp-gateway/audit?kind=admin-change,bogus');

    expect(
      await screen.findByText('No admin changes are recorded yet.'),
    ).toBeInTheDocument();
    expect(api.queryAudit).toHaveBeenCalledWith(
      { kind: 'admin-change', limit: 50, cursor: undefined },
      expect.anything(),
    );
    expect(screen.getByRole('button', { name: /Show/ })).toHaveTextContent(
      'Admin changes only',
    );
  });

  it('applies a quick range at once, and lays the ranges out as one labelled group', async () => {
    const user = userEvent.setup();
    const api = mockAdminApi({ queryAudit: async () => page([]) });
    renderAudit(api, '/mcp-gateway/audit?until=2025-01-01T00:00:00Z');
    await screen.findByText('No audit records match these filters.');

    const ranges = screen.getByRole('group', { name: 'Quick range' });
    expect(
      within(ranges)
        .getAllByRole('button')
        .map(button => button.textContent),
    ).toEqual(['Last hour', 'Last 24 hours', 'Last 7 days']);
    // The hint is the hint alone, not the quick ranges' label too.
    expect(
      screen.getByText(/^Each filter matches exactly\. Times are ISO 8601/),
    ).not.toHaveTextContent('Quick range');

    const before = Date.now();
    await user.click(within(ranges).getByRole('button', { name: 'Last hour' }));
    await waitFor(() => expect(addressBar()).toHaveTextContent(/since=/));
    const since = new URLSearchParams(
      addressBar().textContent!.split('?')[1],
    ).get('since')!;
    expect(Date.parse(since)).toBeGreaterThanOrEqual(before - 3_600_000);
    expect(Date.parse(since)).toBeLessThanOrEqual(Date.now() - 3_600_000);
    expect(addressBar()).not.toHaveTextContent('until=');
  });

  it('gives agent ids and admin methods room at 1400 px, the time two short lines', async () => {
    const restore = layTablesOutAt(TABLE_WIDTH_AT_1400);
    try {
      const record = auditRecord({ id: 'r1' });
      const api = mockAdminApi({ queryAudit: async () => page([record]) });
      renderAudit(api);
      await screen.findByText('get_entity');

      const widths = columnWidths();
      expect(widths.Agent).toBeGreaterThanOrEqual(CELL_NEEDS.agentId);
      expect(widths.What).toBeGreaterThanOrEqual(CELL_NEEDS.adminMethod);
      expect(widths.Time).toBeLessThanOrEqual(130);
      const total = Object.values(widths).reduce((a, b) => a + b, 0);
      expect(total).toBeLessThanOrEqual(TABLE_WIDTH_AT_1400);

      const { time, date } = formatTimeAndDate(record.time);
      const cell = within(screen.getAllByRole('row')[1]).getByRole('rowheader');
      expect(cell.querySelector('time')).toHaveAttribute(
        'title',
        formatDateTime(record.time),
      );
      expect(within(cell).getByText(time)).toBeInTheDocument();
      expect(within(cell).getByText(date)).toBeInTheDocument();
    } finally {
      restore();
    }
  });
});
