export * from "./options.js";
export * from "./push-producer.js";
export * from "./pull-consumer.js";
export * from "./worker-pull-consumer.js";
