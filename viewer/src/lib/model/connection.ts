/**
 * When the app says the collector is gone: the live stream failed and is reconnecting or has
 * fallen back to polling. 'connecting' (the first attempt) is not a loss.
 */
import type { LiveStatus } from '../api/live-stream.js';

export function connectionLost(status: LiveStatus): boolean {
  return status === 'reconnecting' || status === 'polling';
}
