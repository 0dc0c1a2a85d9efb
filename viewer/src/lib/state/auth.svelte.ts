/**
 * The query token and the shared API client. When the collector answers 401 the app asks
 * for a bearer token, keeps it in sessionStorage (gone with the tab) and retries.
 *
 * A tab opened on a deep link has an empty sessionStorage, so before it asks the user it asks
 * the viewer's other open tabs over a BroadcastChannel (same origin only), and one that holds
 * a token answers with it. The token thus lives as long as some tab of the viewer is open —
 * the browser session as the user sees it — and is never written to disk: localStorage would
 * keep it after the browser closes, and a cookie would need the collector to accept one (and
 * defend against cross-site requests that would carry it).
 */
import { ApiClient } from '../api/client.js';

const KEY = 'flowtrace.token';
const CHANNEL = 'flowtrace.token';
/** How long a tab without a token waits for another tab's answer before prompting. */
const ASK_MS = 400;

type Message = { type: 'ask' } | { type: 'token'; token: string };

class Auth {
  token = $state<string | null>(sessionStorage.getItem(KEY));
  needed = $state(false);
  /** Bumped when the token changes so pages reload. */
  version = $state(0);
  private asking = false;
  /** A 401 came while other tabs were being asked: prompt unless one answers. */
  private refusedWhileAsking = false;
  private readonly channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
  private readonly changeListeners = new Set<() => void>();

  constructor() {
    this.channel?.addEventListener('message', (e: MessageEvent<Message>) => this.receive(e.data));
    if (this.token === null && this.channel) {
      this.asking = true;
      this.channel.postMessage({ type: 'ask' } satisfies Message);
      setTimeout(() => {
        this.asking = false;
        if (this.refusedWhileAsking && this.token === null) this.needed = true;
      }, ASK_MS);
    }
  }

  setToken(token: string): void {
    const t = token.trim();
    if (t) sessionStorage.setItem(KEY, t);
    else sessionStorage.removeItem(KEY);
    this.token = t || null;
    this.needed = false;
    this.version++;
    // Tabs that wait for a token (or hold a refused one) take the new one too.
    if (t) this.channel?.postMessage({ type: 'token', token: t } satisfies Message);
  }

  /** The collector answered 401. */
  refused(): void {
    if (this.asking) this.refusedWhileAsking = true;
    else this.needed = true;
  }

  /** Called after a token came from another tab (the live stream reconnects with it). */
  onTokenChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private receive(message: Message): void {
    if (message?.type === 'ask') {
      if (this.token !== null && !this.needed) this.channel?.postMessage({ type: 'token', token: this.token } satisfies Message);
      return;
    }
    if (message?.type !== 'token' || typeof message.token !== 'string' || message.token === '') return;
    // Taken when this tab has none yet, or the collector refused the one it has.
    if (message.token === this.token || (this.token !== null && !this.needed)) return;
    sessionStorage.setItem(KEY, message.token);
    this.token = message.token;
    this.needed = false;
    this.version++;
    for (const listener of this.changeListeners) listener();
  }
}

export const auth = new Auth();

export const api = new ApiClient({
  getToken: () => auth.token,
  onUnauthorized: () => auth.refused(),
});
