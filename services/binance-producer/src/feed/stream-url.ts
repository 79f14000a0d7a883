/** Builds the combined-stream URL: `<base>/stream?streams=btcusdt@ticker/ethusdt@ticker[/btcusdt@kline_1m...]`. */
export function combinedStreamUrl(
  baseUrl: string,
  symbols: readonly string[],
  stream: string,
  extraStreams: readonly string[] = [],
): string {
  const names = symbols.flatMap((s) => [stream, ...extraStreams].map((k) => `${s.toLowerCase()}@${k}`)).join("/");
  return `${baseUrl.replace(/\/+$/, "")}/stream?streams=${names}`;
}
