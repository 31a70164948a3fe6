import {
  auditLink,
  auditQueryOf,
  filtersFromSearchParams,
  searchParamsOf,
  showOf,
} from './auditFilters';

describe('auditFilters', () => {
  it('keeps a kind as the URL writes it: the default absent, every kind as all', () => {
    expect(showOf(undefined)).toBeUndefined();
    expect(showOf(' admin-change , mcp,mcp ')).toBeUndefined();
    expect(showOf('bogus')).toBeUndefined();
    expect(showOf('all')).toBe('all');
    expect(showOf('admin-change,admin-read,mcp')).toBe('all');
    expect(showOf('admin-change, admin-read')).toBe('admin-read,admin-change');
    expect(showOf('mcp,bogus')).toBe('mcp');
  });

  it('asks the API for the default kinds, for none at all when showing everything', () => {
    expect(auditQueryOf({ agent: 'bot' })).toEqual({
      agent: 'bot',
      kind: 'mcp,admin-change',
    });
    expect(auditQueryOf({ agent: 'bot', kind: 'all' })).toEqual({
      agent: 'bot',
    });
    expect(auditQueryOf({ kind: 'mcp' })).toEqual({ kind: 'mcp' });
  });

  it('round-trips the kind through the query string, the default left out', () => {
    const filters = filtersFromSearchParams(
      new URLSearchParams('agent=bot&kind=mcp,admin-change&decision=nope'),
    );
    expect(filters).toEqual({ agent: 'bot' });
    expect(searchParamsOf({ ...filters, kind: 'all' }).toString()).toBe(
      'agent=bot&kind=all',
    );
    // The agent page's links show the default: an agent's records are MCP requests.
    expect(auditLink('/audit', { agent: 'bot', reason: 'rate-limited' })).toBe(
      '/audit?agent=bot&reason=rate-limited',
    );
  });
});
