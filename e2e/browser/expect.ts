import { isDeepStrictEqual } from 'node:util';
import type { Locator, Page } from 'playwright-core';

/**
 * The few assertions the flows need, retrying like Playwright's own (which
 * lives in @playwright/test, not in playwright-core). Locator assertions poll
 * until they hold or the timeout passes.
 */

export type { Page };

const DEFAULT_TIMEOUT = 10_000;

class AssertionError extends Error {
  override name = 'AssertionError';
}

const show = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function valueAssertions<T>(actual: T, label?: string) {
  const fail = (what: string) => {
    throw new AssertionError(`${label ? `${label}: ` : ''}expected ${show(actual)} ${what}`);
  };
  return {
    toBe: (expected: T) => void (Object.is(actual, expected) || fail(`to be ${show(expected)}`)),
    toEqual: (expected: unknown) => void (isDeepStrictEqual(actual, expected) || fail(`to equal ${JSON.stringify(expected)} (was ${JSON.stringify(actual)})`)),
    toBeGreaterThan: (expected: number) => void ((actual as number) > expected || fail(`to be greater than ${expected}`)),
    toBeGreaterThanOrEqual: (expected: number) => void ((actual as number) >= expected || fail(`to be at least ${expected}`)),
  };
}

async function retry(what: string, timeout: number, check: () => Promise<boolean>, describe: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new AssertionError(`${what} (after ${timeout} ms; ${await describe().catch((error: Error) => error.message)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function accessibleName(locator: Locator): Promise<string> {
  const label = await locator.first().getAttribute('aria-label', { timeout: 1000 });
  return label ?? (await locator.first().innerText({ timeout: 1000 }));
}

function locatorAssertions(locator: Locator) {
  const text = async () => `text was ${show(await locator.first().innerText({ timeout: 1000 }))}`;
  const nothing = async () => 'not found or not visible';
  return {
    toBeVisible: (options: { timeout?: number } = {}) => locator.first().waitFor({ state: 'visible', timeout: options.timeout ?? DEFAULT_TIMEOUT }),
    toBeHidden: (options: { timeout?: number } = {}) => locator.first().waitFor({ state: 'hidden', timeout: options.timeout ?? DEFAULT_TIMEOUT }),
    toBeAttached: (options: { timeout?: number } = {}) => locator.first().waitFor({ state: 'attached', timeout: options.timeout ?? DEFAULT_TIMEOUT }),
    toContainText: (expected: string | RegExp, options: { timeout?: number } = {}) =>
      retry(
        `expected ${locator} to contain ${show(expected)}`,
        options.timeout ?? DEFAULT_TIMEOUT,
        async () => {
          const content = await locator.first().innerText({ timeout: 1000 });
          return typeof expected === 'string' ? content.includes(expected) : expected.test(content);
        },
        text,
      ),
    toHaveAccessibleName: (expected: RegExp, options: { timeout?: number } = {}) =>
      retry(
        `expected ${locator} to have a name matching ${expected}`,
        options.timeout ?? DEFAULT_TIMEOUT,
        async () => expected.test(await accessibleName(locator)),
        async () => `name was ${show(await accessibleName(locator))}`,
      ),
    toHaveCount: (count: number, options: { timeout?: number } = {}) =>
      retry(`expected ${locator} to match ${count} elements`, options.timeout ?? DEFAULT_TIMEOUT, async () => (await locator.count()) === count, nothing),
  };
}

function isLocator(value: unknown): value is Locator {
  return typeof value === 'object' && value !== null && typeof (value as Locator).waitFor === 'function' && typeof (value as Locator).count === 'function';
}

export function expect(actual: Locator): ReturnType<typeof locatorAssertions>;
export function expect<T>(actual: T, label?: string): ReturnType<typeof valueAssertions<T>>;
export function expect(actual: unknown, label?: string): unknown {
  return isLocator(actual) ? locatorAssertions(actual) : valueAssertions(actual, label);
}

/** Retries `read` until the assertion holds. */
expect.poll = <T>(read: () => Promise<T>, options: { timeout?: number } = {}) => {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const until = (what: string, holds: (value: T) => boolean) => {
    let last: T | undefined;
    return retry(
      what,
      timeout,
      async () => holds((last = await read())),
      async () => `last value ${show(last)}`,
    );
  };
  return {
    toBe: (expected: T) => until(`expected to become ${show(expected)}`, (value) => Object.is(value, expected)),
    toBeGreaterThan: (expected: number) => until(`expected to exceed ${expected}`, (value) => (value as number) > expected),
  };
};
