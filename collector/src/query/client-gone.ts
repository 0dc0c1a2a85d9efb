/**
 * An AbortSignal that fires when a request's client goes away before its answer is written
 * (the browser cancelled the fetch, the tab closed): reads pass it to storage, which stops
 * the database query instead of finishing work nobody will read.
 *
 * Invariant: the signal never fires once the answer has been written in full (its 'close'
 * comes after the response finished), and the listener is removed by `done()`.
 */
import type { FastifyReply } from 'fastify';
import { errors } from '../errors.js';

export interface ClientGone {
  signal: AbortSignal;
  /** Stops watching (call when the read is over). */
  done(): void;
}

export function watchClientGone(reply: FastifyReply): ClientGone {
  const controller = new AbortController();
  const raw = reply.raw;
  const onClose = () => {
    if (!raw.writableFinished) controller.abort(errors.FT_CLIENT_GONE());
  };
  raw.once('close', onClose);
  return { signal: controller.signal, done: () => raw.off('close', onClose) };
}
