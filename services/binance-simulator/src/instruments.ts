/**
 * Starting levels and price/quantity steps per market, close to what Binance
 * listed in 2024, so the simulated numbers look plausible. Unknown symbols get
 * a profile derived from their name (stable across runs).
 */

export interface Instrument {
  /** Uppercase symbol as Binance writes it in payloads ("BTCUSDT"). */
  readonly symbol: string;
  readonly startPrice: number;
  /** Price step (tick size). */
  readonly tick: number;
  /** Quantity step (lot size). */
  readonly lot: number;
  /** Typical 24 h base volume at start, so "v" and "q" begin at a believable level. */
  readonly startVolume: number;
}

const KNOWN: Record<string, Omit<Instrument, "symbol">> = {
  btcusdt: { startPrice: 64_000, tick: 0.01, lot: 0.00001, startVolume: 25_000 },
  ethusdt: { startPrice: 3_100, tick: 0.01, lot: 0.0001, startVolume: 350_000 },
  bnbusdt: { startPrice: 580, tick: 0.01, lot: 0.001, startVolume: 450_000 },
  xrpusdt: { startPrice: 0.52, tick: 0.0001, lot: 1, startVolume: 250_000_000 },
  adausdt: { startPrice: 0.45, tick: 0.0001, lot: 0.1, startVolume: 200_000_000 },
  solusdt: { startPrice: 145, tick: 0.01, lot: 0.001, startVolume: 3_000_000 },
  dogeusdt: { startPrice: 0.15, tick: 0.00001, lot: 1, startVolume: 1_500_000_000 },
};

function nameHash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function instrumentFor(symbol: string): Instrument {
  const lower = symbol.toLowerCase();
  const known = KNOWN[lower];
  if (known) return { symbol: lower.toUpperCase(), ...known };
  // A price between 0.1 and 10 000 with about five significant tick digits.
  const h = nameHash(lower);
  const startPrice = Number((10 ** ((h % 500) / 100 - 1)).toPrecision(4));
  const tick = 10 ** (Math.floor(Math.log10(startPrice)) - 4);
  const lot = Math.min(1, 10 ** -Math.max(0, Math.floor(Math.log10(startPrice)) + 1));
  return { symbol: lower.toUpperCase(), startPrice, tick, lot, startVolume: 1_000_000 / startPrice };
}
