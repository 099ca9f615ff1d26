// An error as one readable line: what happened, then what to do. A Telnyx network failure
// ("Could not reach Telnyx for GET /v2/... (ECONNREFUSED, 5 attempts): check ... — Telnyx could
// not be reached; ...") becomes "Telnyx could not be reached (connection refused): check your
// internet connection and the API base URL in Settings."; any message keeps its first line
// only (never a stack or a dump). The full message stays available as the detail (hover).
import type { AppError } from '../../shared/contract.ts';
import { NETWORK_ACTION, networkCauseText } from '../../shared/network-cause.ts';

const NETWORK = /^(?:Could not reach Telnyx for|Telnyx did not answer)\b[^(]*\(([A-Za-z0-9_]+)/;
const MAX = 240;

export function isNetworkError(e: AppError): boolean {
  return e.code === 'telnyx_unavailable' && NETWORK.test(firstLine(e.message));
}

function firstLine(text: string): string {
  const line = (text.split(/\r?\n/)[0] ?? '').trim();
  return line.length > MAX ? `${line.slice(0, MAX - 1)}…` : line;
}

/** The whole message, then what to do ("... — Check the key in Settings."). */
export function errorText(e: AppError): string {
  return `${e.message}${e.action ? ` — ${e.action}` : ''}`;
}

export function errorLine(e: AppError): { text: string; detail: string } {
  const first = firstLine(e.message);
  const net = e.code === 'telnyx_unavailable' ? NETWORK.exec(first) : null;
  if (net) return { text: `Telnyx could not be reached (${networkCauseText(net[1])}): ${NETWORK_ACTION}.`, detail: e.message };
  const action = e.action && !first.includes(e.action) ? ` — ${e.action}` : '';
  return { text: `${first}${action}`, detail: e.action ? `${e.message}\n${e.action}` : e.message };
}
