/**
 * Stands in for `node:http2` in the CLI's reactor bundle (main/cli/reactor-bundle.mjs).
 * undici's HTTP/1.1 client loads its HTTP/2 client, and with it node:http2,
 * node:tls and the HTTP/2 core, when the process starts: 7 to 10 ms of every
 * start measured here, for a protocol the engine never asks for (its
 * dispatchers leave undici's allowH2 off, so ALPN offers only http/1.1).
 * undici reads only `constants` at load time; nothing else is reached without h2.
 * TLS itself is unaffected: undici loads node:tls when it opens an https connection.
 */
export const constants: Record<string, string> = {};

export default { constants };
