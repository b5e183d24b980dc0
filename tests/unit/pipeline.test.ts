import { describe, expect, it } from 'vitest';
import { freezeCovers, freezeQuery } from '@shared/domain/pipeline';

describe('which freezes cover a deploy', () => {
  it('covers the asked service wherever its words appear in the freeze', () => {
    for (const scope of [
      'checkout',
      'Checkout',
      'checkout, payments',
      'checkout and payments',
      'checkout/payments',
      'prod: checkout',
      'checkout-api',
      'payments; checkout',
    ]) {
      expect(freezeCovers(scope, 'checkout'), scope).toBe(true);
    }
    expect(freezeCovers('Checkout API', 'checkout-api')).toBe(true);
    expect(freezeCovers('checkout api gateway', 'checkout api')).toBe(true);
  });

  it('treats a freeze or a question about everything as covering everything', () => {
    for (const scope of ['all', '*', 'everything', 'all production', 'production', 'prod', 'global']) expect(freezeCovers(scope, 'search'), scope).toBe(true);
    expect(freezeCovers('search', '*')).toBe(true);
    expect(freezeCovers('search', 'all')).toBe(true);
  });

  it('leaves other services alone', () => {
    expect(freezeCovers('payments', 'checkout')).toBe(false);
    expect(freezeCovers('checkout', 'checkout-api')).toBe(false);
    expect(freezeCovers('search index', 'search-api')).toBe(false);
  });

  it('reads scopes separated by commas or semicolons in the query', () => {
    expect(freezeQuery.parse({ scope: 'checkout;payments, search' }).scope).toEqual(['checkout', 'payments', 'search']);
  });
});
