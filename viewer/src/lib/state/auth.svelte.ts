/**
 * The query token and the shared API client. When the collector answers 401 the app asks
 * for a bearer token, keeps it in sessionStorage (gone with the tab) and retries.
 */
import { ApiClient } from '../api/client.js';

const KEY = 'flowtrace.token';

class Auth {
  token = $state<string | null>(sessionStorage.getItem(KEY));
  needed = $state(false);
  /** Bumped when the token changes so pages reload. */
  version = $state(0);

  setToken(token: string): void {
    const t = token.trim();
    if (t) sessionStorage.setItem(KEY, t);
    else sessionStorage.removeItem(KEY);
    this.token = t || null;
    this.needed = false;
    this.version++;
  }
}

export const auth = new Auth();

export const api = new ApiClient({
  getToken: () => auth.token,
  onUnauthorized: () => {
    auth.needed = true;
  },
});
