// The renderer's origin in the desktop app. A custom privileged scheme (not file://, not a
// dev server): a real origin for CSP 'self', fetch and storage, served only from our files.
export const APP_SCHEME = 'app';
export const APP_HOST = 'cost-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/`;

/** True only for URLs on our own app origin (scheme and host, nothing else). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
