// Public API of the Telnyx simulator (tests, benchmarks and the app's demo mode).
export { GeneratedAccount, createAccount, formatCost } from './account.ts';
export type { CallTruth, MessageTruth, VoiceRecordTruth, Totals, TotalsQuery, SimRecordType } from './account.ts';
export type { AccountOptions, ResolvedAccountOptions, Range } from './options.ts';
export { DEFAULT_START_MS } from './options.ts';
export type { OurNumber, RateDeck } from './numbers.ts';
export { startSimulator, accountSummary, DEFAULT_API_KEY } from './server.ts';
export type { SimulatorOptions, RunningSimulator } from './server.ts';
export { startSimulatorProcess } from './process.ts';
export type { SimulatorProcess, SimulatorProcessOptions } from './process.ts';
export { FAULT_KINDS } from './faults.ts';
export type { FaultKind, FaultRule } from './faults.ts';
export type { SimStats } from './stats.ts';
export { Catalog } from './catalog.ts';
export { RECORD_TYPE_NAMES } from './records.ts';
export { SIM_EVENT_TYPES } from './webhooks.ts';
