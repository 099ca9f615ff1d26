// Loaded into every test process (node --import, and NODE_OPTIONS for the processes tests
// spawn): tests talk only to this machine. A connection to anything but a loopback address or
// a local socket is refused on the spot (the caller sees ECONNREFUSED-like failure, as offline)
// and, because a library may swallow that error, the process also ends with exit code 1 and a
// line naming every address it tried, so the test that did it fails loudly.
import dns from 'node:dns';
import net from 'node:net';
import { networkInterfaces } from 'node:os';

const attempts = new Set();

// This machine's own interface addresses are local too (a test checks that the browser host
// is NOT reachable on them); nothing else is.
const ownAddresses = new Set(
  Object.values(networkInterfaces())
    .flat()
    .map((i) => i?.address.toLowerCase()),
);

function isLocal(host) {
  if (host === undefined || host === null || host === '') return true; // Node's default is localhost
  const h = String(host)
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return (
    ownAddresses.has(h) ||
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === '::1' ||
    h === '0.0.0.0' ||
    h === '::' ||
    /^127\.\d+\.\d+\.\d+$/.test(h) ||
    /^::ffff:127\.\d+\.\d+\.\d+$/.test(h)
  );
}

function target(args) {
  // net.connect() hands Socket#connect its normalized [options, callback] array.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') return first.path ? null : { host: first.host, port: first.port };
  if (typeof first === 'string' && !/^\d+$/.test(first)) return null; // a local socket path
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
}

function refused(where) {
  attempts.add(where);
  const err = new Error(`tests may not reach the network: ${where} is neither loopback nor this machine`);
  err.code = 'ECONNREFUSED';
  return err;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const t = target(args);
  if (t && !isLocal(t.host)) {
    const err = refused(`${t.host}:${t.port}`);
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, ...rest) {
  if (!isLocal(hostname)) {
    const callback = rest.at(-1);
    const err = refused(`${hostname} (DNS)`);
    if (typeof callback === 'function') process.nextTick(() => callback(err));
    return {};
  }
  return lookup.call(this, hostname, ...rest);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedPromisesLookup(hostname, ...rest) {
  if (!isLocal(hostname)) throw refused(`${hostname} (DNS)`);
  return promisesLookup.call(this, hostname, ...rest);
};

process.on('exit', () => {
  if (attempts.size === 0) return;
  process.stderr.write(`\nNETWORK ACCESS IN A TEST (refused): ${[...attempts].join(', ')}\n`);
  process.exitCode = 1;
});
