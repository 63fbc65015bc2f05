import { expect } from 'vitest';
import { DownloadError } from '../../../shared/download/errors.ts';

/** Test-only (imports vitest): the DownloadError a transfer rejects with, asserting that it does. */
export async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}
