// Realistic Binance 24hrTicker combined-stream messages for the benchmarks (Binance's
// shape and field types). Event times advance 100 ms per symbol per event, so windows
// keep closing and the HDF5 sink is exercised, as in a long live run. Prices are
// precomputed random walks, one table per symbol, so building a message is string
// concatenation: the generator must outrun the processor it measures.
//   const t = tickerMessages({ symbols: 200 }); t.message(i); t.symbolOf(i)

const WALK = 4096;

export function tickerMessages({ symbols: nSymbols = 200, baseMs = Date.now() - 30 * 24 * 3600 * 1000 } = {}) {
  const symbols = Array.from({ length: nSymbols }, (_, i) => `SYM${String(i).padStart(3, "0")}USDT`);
  const walks = symbols.map((_, k) => {
    let p = 10 + k * 7.31;
    return Array.from({ length: WALK }, (_, j) => {
      p *= 1 + ((((j + 1) * 2654435761 + k) % 1000) / 1000 - 0.5) * 0.001;
      return {
        c: p.toFixed(8),
        b: (p * 0.9999).toFixed(8),
        a: (p * 1.0001).toFixed(8),
        h: (p * 1.01).toFixed(8),
        l: (p * 0.99).toFixed(8),
      };
    });
  });
  const heads = symbols.map((s) => `{"stream":"${s.toLowerCase()}@ticker","data":{"e":"24hrTicker","E":`);

  /** The i-th message of the stream (symbols in rotation). */
  function message(i) {
    const k = i % nSymbols;
    const step = Math.floor(i / nSymbols);
    const w = walks[k][step % WALK];
    const E = baseMs + step * 100;
    const vol = 1000 + step;
    return (
      `${heads[k]}${E},"s":"${symbols[k]}","p":"12.34000000","P":"0.520","w":"${w.c}","x":"${w.c}","c":"${w.c}",` +
      `"Q":"0.01000000","b":"${w.b}","B":"1.20000000","a":"${w.a}","A":"0.80000000","o":"${w.c}","h":"${w.h}",` +
      `"l":"${w.l}","v":"${vol}.00000000","q":"${vol * 3}.12345678","O":${E - 86_400_000},"C":${E},"F":${step},"L":${step + 1000},"n":1001}}`
    );
  }

  /** The symbol of the i-th message (the producer's Kafka key). */
  const symbolOf = (i) => symbols[i % nSymbols];

  return { symbols, message, symbolOf };
}
