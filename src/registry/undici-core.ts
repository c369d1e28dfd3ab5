/**
 * The parts of undici the engine uses (Client, Agent, the connector, errors, header parsing, Dispatcher with
 * its request/stream API), loaded from undici's own modules instead of its index.
 *
 * undici's index loads everything it offers: fetch, WebSocket, EventSource, the cache stores (node:sqlite),
 * the mock and proxy agents, ... For a one-image `pullpath pull` that was about 100 ms of CPU of start-up on this
 * project's 2-core machine, against about 30 ms for these modules (measured with process.cpuUsage around the
 * require; see the README's performance section). It is the same code: the index re-exports these very modules,
 * so an Agent, a Client or an error class from here IS the one `import … from 'undici'` gives (tests' MockAgent
 * and `instanceof` checks work across both), and the index's one side effect, the request/stream API on
 * Dispatcher.prototype, is applied here too.
 *
 * undici has no `exports` map, so these paths are reachable; they are pinned by package-lock.json, and
 * test/registry/undici-core.test.ts checks that each one is what the index exports.
 * Every runtime import of undici goes through this module (types may still come from 'undici').
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

export const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as typeof Undici.Dispatcher;
Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js') as object);
export const Client = require('undici/lib/dispatcher/client.js') as typeof Undici.Client;
export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export const buildConnector = require('undici/lib/core/connect.js') as typeof Undici.buildConnector;
export const errors = require('undici/lib/core/errors.js') as typeof Undici.errors;
const coreUtil = require('undici/lib/core/util.js') as typeof Undici.util;
/** As the index's `util`: header parsing only. */
export const util: typeof Undici.util = { parseHeaders: coreUtil.parseHeaders, headerNameToString: coreUtil.headerNameToString };
