// Running totals kept as records of counts and amounts (a pass's counts, a statement's call
// lines): each named field of one record added into another, numbers to numbers and bigint
// amounts to bigint amounts.

/** The keys of T whose values are numbers or bigints. */
export type SummableKey<T> = { [K in keyof T]-?: T[K] extends number | bigint ? K : never }[keyof T];

/** Adds `from[k]` into `into[k]` for each key. */
export function addFields<T>(into: T, from: Readonly<T>, keys: readonly SummableKey<T>[]): void {
  // A key's values are both numbers or both bigints (its type says which): + keeps that kind.
  for (const k of keys) into[k] = ((into[k] as number) + (from[k] as number)) as T[SummableKey<T>];
}
