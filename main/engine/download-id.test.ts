import { describe, expect, it } from 'vitest';
import { downloadId } from '../../shared/contract/schemas.ts';
import * as v from 'valibot';
import { newDownloadId } from './download-id.ts';

describe('download ids', () => {
  it('are version 4 UUIDs that the bridge accepts as download ids', () => {
    const id = newDownloadId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(v.safeParse(downloadId, id).success).toBe(true);
  });

  it('do not repeat over a hundred thousand draws', () => {
    const ids = new Set(Array.from({ length: 100_000 }, newDownloadId));
    expect(ids.size).toBe(100_000);
  });
});
