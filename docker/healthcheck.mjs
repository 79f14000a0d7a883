// Container health probe (HEALTHCHECK): exits 0 when the service's /healthz answers 2xx.
// Plain node, since slim images have no curl. HEALTH_PORT wins; otherwise the
// service's default port, looked up by the SERVICE name baked into the image.
const defaultPorts = {
  "binance-producer": 9101,
  "binance-processor": 9102,
  "twitter-producer": 9103,
  "twitter-processor": 9104,
  "binance-simulator": 9105,
  "twitter-simulator": 9106,
  dashboard: 9107,
};
const port = process.env.HEALTH_PORT || defaultPorts[process.env.SERVICE ?? ""];
if (!port || port === "0") process.exit(1);
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2500) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
