// What `require('electron')` returns in a main process run under the stand-in (see load.ts).
'use strict';
const standIn = globalThis[Symbol.for('cost-desk.electron-stand-in')];
if (!standIn) throw new Error('the electron stand-in was not set up (test/electron-standin/load.ts)');
module.exports = standIn;
