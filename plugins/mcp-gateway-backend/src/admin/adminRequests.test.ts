import { AdminFailure } from './adminFailure';
import {
  auditRequestOf,
  disableAgentBody,
  killSwitchBody,
  parseRequest,
} from './adminRequests';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AdminFailure);
    expect((error as AdminFailure).status).toBe(400);
    return (error as Error).message;
  }
  throw new Error('expected a 400');
}

describe('admin request schemas', () => {
  it('requires a non-empty reason of at most 500 characters to disable, trimmed', () => {
    expect(
      parseRequest(disableAgentBody, { reason: ' leak ' }, 'body'),
    ).toEqual({
      reason: 'leak',
    });
    expect(messageOf(() => parseRequest(disableAgentBody, {}, 'body'))).toBe(
      'Invalid request body: reason: is required',
    );
    expect(
      messageOf(() =>
        parseRequest(disableAgentBody, { reason: '   ' }, 'body'),
      ),
    ).toBe('Invalid request body: reason: must not be empty');
    expect(
      messageOf(() =>
        parseRequest(disableAgentBody, { reason: 'x'.repeat(501) }, 'body'),
      ),
    ).toBe('Invalid request body: reason: must be at most 500 characters');
    expect(
      parseRequest(disableAgentBody, { reason: 'x'.repeat(500) }, 'body')
        .reason,
    ).toHaveLength(500);
  });

  it.each([['nul\u0000byte'], ['two\nlines'], ['tab\there']])(
    'refuses control characters in a reason (%j): the store and the agents read it',
    text => {
      expect(
        messageOf(() =>
          parseRequest(disableAgentBody, { reason: text }, 'body'),
        ),
      ).toBe(
        'Invalid request body: reason: must not contain control characters (line breaks, tabs, NUL)',
      );
    },
  );

  it.each([['agent'], ['user'], ['tool'], ['reason'], ['cursor']])(
    'refuses control characters in the %s filter instead of sending them to the database',
    key => {
      expect(
        messageOf(() => auditRequestOf({ [key]: 'a\u0000b' }, 'page')),
      ).toBe(
        `Invalid request query: ${key}: must not contain control characters (line breaks, tabs, NUL)`,
      );
    },
  );

  it('names unknown body fields instead of ignoring them', () => {
    expect(
      messageOf(() =>
        parseRequest(disableAgentBody, { reason: 'r', reasn: 'r' }, 'body'),
      ),
    ).toContain('reasn');
  });

  it('needs engaged as a boolean, and a reason only when engaging', () => {
    expect(
      messageOf(() => parseRequest(killSwitchBody, { engaged: 'yes' }, 'body')),
    ).toBe('Invalid request body: engaged: must be true or false');
    expect(
      messageOf(() => parseRequest(killSwitchBody, { engaged: true }, 'body')),
    ).toBe(
      'Invalid request body: reason: is required when engaging the kill switch',
    );
    expect(parseRequest(killSwitchBody, { engaged: false }, 'body')).toEqual({
      engaged: false,
    });
  });

  describe('audit query', () => {
    it('reads ISO 8601 times, dates and milliseconds, and defaults the page to 50', () => {
      expect(
        auditRequestOf(
          {
            agent: 'copilot',
            since: '2026-11-21T09:00:00+01:00',
            until: '1800000000000',
          },
          'page',
        ),
      ).toEqual({
        filter: {
          agent: 'copilot',
          since: Date.parse('2026-11-21T08:00:00Z'),
          until: 1800000000000,
        },
        page: { limit: 50 },
      });
      expect(auditRequestOf({ since: '2026-11-21' }, 'page').filter).toEqual({
        since: Date.parse('2026-11-21T00:00:00Z'),
      });
    });

    it.each([
      [{ since: 'yesterday' }, 'since: must be an ISO 8601 time'],
      [{ until: '2026-13-45T00:00:00Z' }, 'until: must be an ISO 8601 time'],
      [
        { since: '2026-11-22T00:00:00Z', until: '2026-11-21T00:00:00Z' },
        'since: must not be later than until',
      ],
      [{ limit: '0' }, 'limit: must be a whole number from 1 to 500'],
      [{ limit: '501' }, 'limit: must be a whole number from 1 to 500'],
      [{ limit: '2.5' }, 'limit: must be a whole number from 1 to 500'],
      [{ agent: ['a', 'b'] }, 'agent: must be a single value'],
      [{ agnet: 'a' }, 'agnet'],
      [{ cursor: '' }, 'cursor: must not be empty'],
      [
        { kind: 'mcp,admin' },
        "kind: must list record kinds, separated by commas: mcp, admin-read or admin-change (not 'admin')",
      ],
      [{ kind: '' }, "(not '')"],
      [{ kind: 'MCP' }, "(not 'MCP')"],
      [{ kind: ['mcp', 'admin-read'] }, 'kind: must be a single value'],
    ])('refuses %j', (query, message) => {
      expect(messageOf(() => auditRequestOf(query, 'page'))).toContain(message);
    });

    it('reads the record kinds as a list, each once', () => {
      expect(
        auditRequestOf({ kind: 'mcp, admin-change,mcp' }, 'page').filter,
      ).toEqual({ kind: ['mcp', 'admin-change'] });
    });

    it('refuses paging parameters on an export, which streams every record', () => {
      expect(
        messageOf(() => auditRequestOf({ limit: '10' }, 'export')),
      ).toContain(
        'the NDJSON export (Accept: application/x-ndjson) streams every matching record',
      );
    });
  });
});
