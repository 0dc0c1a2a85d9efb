// The search box's scope (in=errors): kept in the URL beside q, sent to the API with q only.
import { describe, expect, it } from 'vitest';
import { activeFilterCount, emptyFilters, filtersFromSearch, filtersToApi, filtersToSearch } from '../../src/lib/model/filters.js';
import { buildUrl } from '../../src/lib/api/client.js';

describe('the search scope', () => {
  it('round-trips through the URL as in=errors, and everywhere leaves the URL without it', () => {
    const scoped = { ...emptyFilters(), q: 'card declined', status: 'error', qIn: 'errors' as const };
    const params = filtersToSearch(scoped, new URLSearchParams('trace=abc'));
    expect(params.get('in')).toBe('errors');
    expect(params.get('trace')).toBe('abc');
    expect(filtersFromSearch(params)).toEqual(scoped);
    expect(filtersToSearch({ ...scoped, qIn: '' }, params).has('in')).toBe(false);
    expect(filtersFromSearch(new URLSearchParams('q=x&in=payloads')).qIn).toBe('');
  });

  it('is not counted as a filter of its own', () => {
    expect(activeFilterCount({ ...emptyFilters(), q: 'card declined', qIn: 'errors' })).toBe(1);
  });

  it('asks the API for in=errors (one full page per request) with q, and for nothing without q', () => {
    const q = filtersToApi({ ...emptyFilters(), q: 'card declined', qIn: 'errors' }, 0);
    expect(buildUrl('/api/executions', q)).toBe('/api/executions?q=card+declined&in=errors');
    expect(filtersToApi({ ...emptyFilters(), qIn: 'errors' }, 0).in).toBeUndefined();
    expect(filtersToApi({ ...emptyFilters(), q: 'card declined' }, 0)).toMatchObject({ in: undefined, partial: 'true' });
  });
});
