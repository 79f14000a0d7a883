/**
 * Runs a built service as its own process, the way a container runs it
 * (`node services/<name>/dist/main.js`, configured only by environment),
 * and gives tests its parsed JSON logs, its /metrics and its exit code.
 * The runner itself is scripts/lib/service-process.mjs, shared with the
 * scripts (npm start, npm run demo) and the benchmarks.
 */
export {
  freePort,
  type LogLine,
  ROOT,
  ServiceProcess,
  type ServiceProcessOptions,
  sleep,
  waitFor,
} from "#service-process";
