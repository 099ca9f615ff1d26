// The product's four money words, said the same way wherever they are explained (the
// overview's legend and headers, the call panel's labels).
export const TERMS = {
  estimated: 'What the fallback or learned rate books the moment a call ends, before Telnyx reports its cost.',
  exact: "Telnyx's own cost, from its detail records or call.cost events (a total sums the calls that have one).",
  booked: 'What the ledger counts now: the exact cost where Telnyx has reported it, else the estimate.',
  variance: 'Exact minus estimate, over calls that have both. Over: Telnyx charged more than estimated; under: less.',
} as const;
