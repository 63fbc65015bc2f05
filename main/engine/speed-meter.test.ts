import { describe, expect, it } from 'vitest';
import { SpeedMeter, etaSeconds } from './speed-meter.ts';

describe('speed meter', () => {
  it('averages over its window, so one burst does not dominate', () => {
    const meter = new SpeedMeter({ windowMs: 2000 });
    for (let second = 0; second <= 10; second += 1) meter.record(second * 1000, second * 1000);
    expect(meter.speed(10_000)).toBe(1000);
    meter.record(10_500, 10_000 + 5000);
    expect(meter.speed(10_500)).toBe(Math.round((15_000 - 8000) * 1000 / 2500));
  });

  it('falls towards zero when bytes stop arriving', () => {
    const meter = new SpeedMeter({ windowMs: 1000 });
    meter.record(0, 0);
    meter.record(1000, 1000);
    expect(meter.speed(1000)).toBe(1000);
    expect(meter.speed(4000)).toBe(250);
  });

  it('forgets the old samples when a download starts over from zero', () => {
    const meter = new SpeedMeter({ windowMs: 5000 });
    meter.record(0, 0);
    meter.record(1000, 50_000);
    meter.record(2000, 100);
    expect(meter.speed(2000)).toBe(0);
  });

  it('has no ETA without a size or a speed', () => {
    expect(etaSeconds(500, 1500, 100)).toBe(10);
    expect(etaSeconds(500, null, 100)).toBeNull();
    expect(etaSeconds(500, 1500, 0)).toBeNull();
  });
});

describe('speed meter under frequent updates', () => {
  it('keeps a bounded number of samples however often it is fed', () => {
    const meter = new SpeedMeter({ windowMs: 5000 });
    for (let at = 0; at <= 10_000; at += 1) meter.record(at, at * 100);
    expect(meter.speed(10_000)).toBe(100_000);
    expect(meter.sampleCount).toBeLessThanOrEqual(60);
  });
});
