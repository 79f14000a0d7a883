export * from "./config/env.js";
export * from "./log/logger.js";
export * from "./codecs/codec.js";
export * from "./codecs/json.js";
export * from "./metrics/registry.js";
export * from "./service/health-server.js";
export * from "./service/run-service.js";
export * from "./transport/transport.js";
