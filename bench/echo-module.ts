// The reactor module of bench/reactor.bench.ts: one function, as cheap as the bare child's echo.
export function echo(_context: unknown, value: unknown): unknown {
  return value;
}
