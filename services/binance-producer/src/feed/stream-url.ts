/** Builds the combined-stream URL: `<base>/stream?streams=btcusdt@ticker/ethusdt@ticker`. */
export function combinedStreamUrl(baseUrl: string, symbols: readonly string[], stream: string): string {
  const names = symbols.map((s) => `${s.toLowerCase()}@${stream}`).join("/");
  return `${baseUrl.replace(/\/+$/, "")}/stream?streams=${names}`;
}
