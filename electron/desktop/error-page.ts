// What the window shows when the app cannot start or its page cannot load: the error, what to
// do about it, and where the logs are — never a blank window. A data: URL page with no script
// (its CSP allows none) and no network; it cannot call the core (the IPC gate refuses any page
// that is not app://cost-desk).
import { escapeHtml } from '../hosts/static-files.ts';

export interface ErrorPage {
  title: string;
  message: string;
  /** What the user can do (one step per entry). */
  fixes: string[];
  logsDir: string;
}

/** The fixes for a start-up failure, from what failed. */
export function startupFixes(message: string, platform: NodeJS.Platform): string[] {
  const fixes: string[] = [];
  if (/better[-_]sqlite3|NODE_MODULE_VERSION|dlopen|\.node\b/i.test(message)) {
    fixes.push(
      'The SQLite addon (better-sqlite3) could not be loaded. Reinstall the app; from a source checkout run "npm install" and "npm start" again (the addon is prebuilt for Node-API and needs no separate Electron build).',
    );
  }
  if (/EACCES|EPERM|EROFS|ENOTDIR|EEXIST|read-only/i.test(message)) {
    fixes.push('The data folder cannot be created or written: check the path and its permissions, or set COST_DESK_DATA_DIR to a folder you own.');
  }
  if (/locked|SQLITE_BUSY/i.test(message)) fixes.push('Another program holds the ledger: close other Cost Desk windows or CLI runs, then start again.');
  fixes.push(`Quit (${platform === 'darwin' ? 'Cmd+Q' : 'File → Quit'}) and start the app again; View → Reload tries the page again.`);
  return fixes;
}

export function errorPageHtml(p: ErrorPage): string {
  const items = p.fixes.map((f) => `<li>${escapeHtml(f)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<title>${escapeHtml(p.title)}</title></head>
<body><main>
<h1>${escapeHtml(p.title)}</h1>
<p><strong>What happened:</strong> ${escapeHtml(p.message)}</p>
<h2>What you can do</h2><ol>${items}</ol>
<p>Details are in the log folder: <code>${escapeHtml(p.logsDir)}</code> (Help → Open Logs Folder).</p>
</main></body></html>`;
}

export function errorPageUrl(p: ErrorPage): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(errorPageHtml(p))}`;
}
