// Browser host session token. The host prints http://127.0.0.1:PORT/?token=T; the page keeps
// T in sessionStorage (survives reloads of this tab, not other tabs) and removes it from the
// address bar so it does not linger in history, bookmarks or screenshots.
//
// Reading and keeping are split: the first requests need only the token, while the first use
// of sessionStorage can block the page for a long time as the browser starts up (a synchronous
// round trip to the browser process; 5 ms to 200 ms measured here). So a token from the address
// bar is used at once, and kept (and removed from the address bar) once the app is up.
const KEY = 'costDesk.token';

export interface PageToken {
  token: string | null;
  /** Keeps a token that came from the address bar for reloads and removes it from there. */
  keep(): void;
}

export function takeTokenFromUrl(): PageToken {
  let url: URL | null = null;
  let fromUrl: string | null = null;
  try {
    url = new URL(window.location.href);
    fromUrl = url.searchParams.get('token');
  } catch {
    // An unparsable location cannot carry a token.
  }
  if (fromUrl === null || url === null) {
    let kept: string | null = null;
    try {
      kept = sessionStorage.getItem(KEY);
    } catch {
      // storage disabled: no token kept from an earlier load
    }
    return { token: kept, keep: () => {} };
  }
  const token = fromUrl;
  const address = url;
  let done = false;
  return {
    token,
    keep() {
      if (done) return;
      done = true;
      try {
        sessionStorage.setItem(KEY, token);
      } catch {
        // storage disabled: the token lives for this page load only
      }
      address.searchParams.delete('token');
      const rest = address.searchParams.toString();
      // The hash may have changed since (navigation before the app was up): keep the current one.
      window.history.replaceState(window.history.state, '', `${address.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`);
    },
  };
}
