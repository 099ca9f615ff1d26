// Browser host session token. The host prints http://127.0.0.1:PORT/?token=T; the page keeps
// T in sessionStorage (survives reloads of this tab, not other tabs) and removes it from the
// address bar so it does not linger in history, bookmarks or screenshots.
const KEY = 'costDesk.token';

export function takeTokenFromUrl(): string | null {
  let fromUrl: string | null = null;
  try {
    const url = new URL(window.location.href);
    fromUrl = url.searchParams.get('token');
    if (fromUrl !== null) {
      url.searchParams.delete('token');
      const rest = url.searchParams.toString();
      window.history.replaceState(window.history.state, '', `${url.pathname}${rest ? `?${rest}` : ''}${url.hash}`);
    }
  } catch {
    // An unparsable location cannot carry a token.
  }
  try {
    if (fromUrl) sessionStorage.setItem(KEY, fromUrl);
    return fromUrl ?? sessionStorage.getItem(KEY);
  } catch {
    return fromUrl; // storage disabled: the token lives for this page load only
  }
}
