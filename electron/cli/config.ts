// cost-desk config get [key] / config set key value: the settings a cron user needs, through
// the same settings.get / settings.update calls as the Settings screen (validated by the
// contract; a bad value comes back as zod's issues, each with its path). The API key is never
// shown or taken here: an argument stays in shell history and in the process list.
import type { Command } from 'commander';
import type { z } from 'zod';
import { RateSettings, SettingsPatch, type SettingsView } from '../../shared/contract.ts';
import { CliUsageError } from './dates.ts';
import { CliFailure, type CliHost } from './host.ts';

type Run = <T>(fn: (host: CliHost) => Promise<T>) => Promise<T>;
type Kind = 'text' | 'number' | 'boolean' | 'json';

/** Where the key is given instead. */
const KEY_HOW = "Set TELNYX_API_KEY in the environment of the command, or save the key in the app's Settings (desktop app or `npm run web`).";

/** Why the key is not taken here, and how to set it. */
export const API_KEY_HOW = `The API key is not shown or set on the command line (an argument stays in shell history and the process list). ${KEY_HOW}`;

/** What a value must be typed as, read from the contract's own schema. */
function kindOf(schema: z.ZodType): Kind {
  let s = schema as unknown as { def: { type: string; innerType?: unknown } };
  while (s.def.innerType && ['optional', 'default', 'nullable', 'prefault'].includes(s.def.type)) s = s.def.innerType as typeof s;
  return s.def.type === 'string' ? 'text' : s.def.type === 'number' ? 'number' : s.def.type === 'boolean' ? 'boolean' : 'json';
}

/** Every key `config set` takes, with its kind: the patchable settings, rates one by one. */
export function settingKeys(): Map<string, Kind> {
  const keys = new Map<string, Kind>();
  for (const [name, schema] of Object.entries(SettingsPatch.shape)) {
    if (name === 'rates') continue;
    keys.set(name, kindOf(schema as z.ZodType));
  }
  for (const [name, schema] of Object.entries(RateSettings.shape)) keys.set(`rates.${name}`, kindOf(schema as z.ZodType));
  return keys;
}

function parseValue(key: string, kind: Kind, text: string): unknown {
  if (kind === 'text') return text;
  if (kind === 'boolean') {
    if (text === 'true' || text === 'false') return text === 'true';
    throw new CliUsageError(`${key}: expected true or false, not "${text}"`);
  }
  if (kind === 'number') {
    // Number('') is 0 and Number('1e3') is 1000: only plain decimal digits are a number here.
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    throw new CliUsageError(`${key}: expected a number, not "${text}"`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliUsageError(`${key}: expected JSON (e.g. [30000,120000] or [{"currency":"EUR",...}]), not "${text}"`);
  }
}

const isKeyName = (key: string) => /^api[-_]?key$/i.test(key);

function unknownKey(key: string, keys: Map<string, Kind>): CliUsageError {
  if (isKeyName(key)) return new CliUsageError(API_KEY_HOW);
  return new CliUsageError(`unknown setting "${key}"; the settings are: ${[...keys.keys()].join(', ')}`);
}

const STORED: Record<SettingsView['keyStorage'], string> = {
  'os-keychain': 'in the OS keychain',
  'basic-text': 'in the keychain without encryption',
  'host-encrypted': 'encrypted in the data folder',
  none: 'from TELNYX_API_KEY',
};

/** The settings as `key = value` pairs, the key as "set, ends in …" at most. */
export function settingsValues(view: SettingsView): Array<[string, unknown]> {
  const pairs: Array<[string, unknown]> = [['apiKey', view.apiKeySet ? `set, ends in ${view.apiKeyHint ?? '…'} (${STORED[view.keyStorage]})` : 'not set']];
  for (const key of settingKeys().keys()) {
    const [head, sub] = key.split('.') as [keyof SettingsView, string | undefined];
    pairs.push([key, sub ? (view.rates as Record<string, unknown>)[sub] : view[head]]);
  }
  pairs.push(['dataDir', view.dataDir]);
  return pairs;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** A rejected value (exit 2): each of zod's issues with the setting's path, or the core's reason. */
function rejected(err: unknown): unknown {
  if (!(err instanceof CliFailure) || err.error.code !== 'invalid_input') return err;
  const { issues = [], message, action } = err.error;
  if (issues.length > 0) return new CliUsageError(issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('\n  '));
  return new CliUsageError(action ? `${message}\n  ${action}` : message);
}

export function registerConfigCommands(program: Command, run: Run, out: (text: string) => void): void {
  const config = program.command('config').description("show or change settings (the API key: TELNYX_API_KEY or the app's Settings, never an argument)");
  const json = () => program.opts<{ json?: boolean }>().json === true;

  config
    .command('get')
    .description("print every setting as key = value, or one setting's value")
    .argument('[key]', 'one setting, e.g. pollingIntervalSec or rates.currency')
    .action(async (key: string | undefined) => {
      const keys = settingKeys();
      if (key !== undefined && key !== 'apiKey' && key !== 'dataDir' && !keys.has(key)) throw unknownKey(key, keys);
      await run(async (host) => {
        const pairs = settingsValues(await host.call('settings.get', {}));
        if (key === undefined) out(json() ? JSON.stringify(Object.fromEntries(pairs), null, 2) : pairs.map(([k, v]) => `${k} = ${show(v)}`).join('\n'));
        else {
          const value = pairs.find(([k]) => k === key)![1];
          out(json() ? JSON.stringify(value) : show(value));
        }
      });
    });

  config
    .command('set')
    .description('change one setting (checked like the Settings screen: a bad value changes nothing)')
    .argument('<key>', 'the setting, e.g. pollingIntervalSec, rates.inboundPerMinute, apiBaseUrl')
    .argument('<value>', 'its new value (true/false, a number, a text; a list or object as JSON)')
    .action(async (key: string, text: string) => {
      const keys = settingKeys();
      const kind = keys.get(key);
      if (!kind) throw unknownKey(key, keys);
      const value = parseValue(key, kind, text);
      const [head, sub] = key.split('.') as [string, string | undefined];
      const patch = sub ? { [head]: { [sub]: value } } : { [head]: value };
      await run(async (host) => {
        const view = await host.call('settings.update', patch).catch((err: unknown) => {
          throw rejected(err);
        });
        const now = settingsValues(view).find(([k]) => k === key)![1];
        out(json() ? JSON.stringify({ [key]: now }) : `${key} = ${show(now)}`);
        // A new API host drops the stored key (it was given for the old one): say so.
        if (key === 'apiBaseUrl' && !view.apiKeySet) process.stderr.write(`note: no API key is stored for this address. ${KEY_HOW}\n`);
      });
    });
}
