/**
 * Stands in for `node:http` in the CLI's reactor bundle (main/cli/reactor-bundle.mjs),
 * as http2-unused.ts does for node:http2. undici loads node:http at start for two
 * things: `IncomingMessage`, to recognise a Node server request passed as a body
 * (the engine sends no bodies), and `maxHeaderSize`, the default limit of a
 * response's headers, which dispatchers.ts sets explicitly instead. Loading it
 * takes the whole HTTP server and client of Node: 2 to 5 ms of every start here.
 */

/** Nothing is an instance of this: no body the engine sends is a Node request. */
export class IncomingMessage {}

/** Node's own default; never read, since dispatchers.ts passes maxHeaderSize to undici. */
export const maxHeaderSize = 16 * 1024;

export default { IncomingMessage, maxHeaderSize };
