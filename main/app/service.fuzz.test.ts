import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { requestNames, requests } from '../../shared/contract/requests.ts';
import { defaultStash } from '../../shared/reactor/stash.ts';
import { brokenSample, hostileValue, seededRandom } from './testing/hostile-values.ts';
import { startServiceWithFakeEngine } from './testing/service-harness.ts';

const PAYLOADS_PER_REQUEST = 10_000;
const SEED = 0x5ce1;

const { service, engine, desktop } = startServiceWithFakeEngine();

describe('the boundary under random payloads', () => {
  it(`refuses ${PAYLOADS_PER_REQUEST} broken payloads to every request cleanly and changes nothing`, async () => {
    // Something to protect: a running download, held and stashed results.
    const started = await service.handle('fuzz', 'startDownloads', { requests: [{ url: 'https://x.test/keep' }] });
    expect(started.ok).toBe(true);
    const fingerprint = engine.fingerprint();
    const engineCalls = engine.calls.length;
    const stashed = defaultStash.size;
    const random = seededRandom(SEED);
    let refused = 0;
    let accidentallyValid = 0;
    const unclean: string[] = [];

    for (const name of requestNames) {
      for (let i = 0; i < PAYLOADS_PER_REQUEST; i++) {
        const payload = random() < 0.8 ? brokenSample(random, name) : hostileValue(random);
        if (v.safeParse(requests[name].input, payload).success) {
          accidentallyValid++;
          continue;
        }
        const client = random() < 0.1 ? hostileValue(random) : 'fuzz';
        let reply;
        try {
          reply = await service.handle(client as string, name, payload);
        } catch (error) {
          throw new Error(`handle threw for ${name} #${i}`, { cause: error });
        }
        if (reply.ok || !['ERR_BRIDGE_INVALID_REQUEST', 'ERR_BRIDGE_INTERNAL'].includes(reply.error.code ?? '')) {
          unclean.push(`${name} #${i}: ${JSON.stringify(reply)}`);
        }
        refused++;
      }
    }
    for (let i = 0; i < PAYLOADS_PER_REQUEST; i++) {
      const reply = await service.handle('fuzz', hostileValue(random), hostileValue(random));
      if (reply.ok || reply.error.code !== 'ERR_BRIDGE_UNKNOWN_REQUEST') unclean.push(`unknown name #${i}: ${JSON.stringify(reply)}`);
    }

    expect(unclean.slice(0, 5)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(engine.fingerprint()).toBe(fingerprint);
    expect(engine.calls.length).toBe(engineCalls);
    expect(defaultStash.size).toBe(stashed);
    expect(desktop.opened.length + desktop.shown.length + desktop.external.length).toBe(0);
    // The generator must really exercise the boundary, not skip its way through.
    expect(refused).toBeGreaterThan(requestNames.length * PAYLOADS_PER_REQUEST * 0.9);
    expect(accidentallyValid).toBeLessThan(requestNames.length * PAYLOADS_PER_REQUEST * 0.1);
  }, 120_000);
});
