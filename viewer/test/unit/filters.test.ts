// Execution filters: URL round trip, API query, and the local fit test for live inserts.
import { describe, expect, it } from 'vitest';
import { activeFilterCount, emptyFilters, filtersFromSearch, filtersToApi, filtersToSearch, matchesLocally } from '../../src/lib/model/filters.js';
import { buildUrl } from '../../src/lib/api/client.js';

describe('execution filters', () => {
  it('round-trips through the URL, keeping other keys such as the selection', () => {
    const f = { ...emptyFilters(), flow: 'checkout', status: 'error', attrs: ['http.route=/pay', 'region=eu'] };
    const params = filtersToSearch(f, new URLSearchParams('trace=abc'));
    expect(params.get('trace')).toBe('abc');
    expect(filtersFromSearch(params)).toEqual(f);
    expect(activeFilterCount(f)).toBe(4);
  });

  it('resolves a relative range to `from` at request time and repeats attr', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const q = filtersToApi({ ...emptyFilters(), range: '1h', attrs: ['a=1', 'b=2'] }, now);
    expect(q.from).toBe('2026-01-01T11:00:00.000Z');
    expect(buildUrl('/api/executions', q)).toBe('/api/executions?from=2026-01-01T11%3A00%3A00.000Z&attr=a%3D1&attr=b%3D2');
  });

  it('lets a text search answer partial pages, and only a text search', () => {
    expect(filtersToApi({ ...emptyFilters(), q: 'card declined' }, 0).partial).toBe('true');
    expect(filtersToApi({ ...emptyFilters(), flow: 'checkout' }, 0).partial).toBeUndefined();
  });

  it('decides locally whether a live execution fits, or defers to the server', () => {
    const e = { flowName: 'checkout', serviceName: 'shop', status: 'running', userId: 'alice', triggerType: 'http', startMs: 0, durationMs: 0 };
    expect(matchesLocally({ ...emptyFilters(), flow: 'checkout' }, e, 0)).toBe(true);
    expect(matchesLocally({ ...emptyFilters(), flow: 'other' }, e, 0)).toBe(false);
    expect(matchesLocally({ ...emptyFilters(), attrs: ['a=1'] }, e, 0)).toBeNull();
  });
});
