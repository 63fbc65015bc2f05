import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Runs full garbage collections and lets finalization callbacks run. */
export async function collectGarbage(rounds = 4): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
