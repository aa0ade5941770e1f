import { describe, expect, it } from 'vitest';
import { toRoutableKqlQueries } from '../../../../handlers/questions/routable-query.ts';
import { KQL_CATALOG } from '../../../../queries/catalog.ts';

describe('the views’ vetted queries', () => {
  it('are in the catalog (/kql runs them) but not offered to the question router', () => {
    const views = ['token-spend', 'service-availability', 'availability-trend'];
    for (const id of views) expect(KQL_CATALOG.get(id)?.routable).toBe(false);
    const routable = toRoutableKqlQueries(KQL_CATALOG).map((q) => q.id);
    for (const id of views) expect(routable).not.toContain(id);
    expect(routable).toContain('cost-per-team');
  });
});
