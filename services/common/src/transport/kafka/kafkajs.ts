/**
 * The one place kafkajs is loaded at run time: ./patches must run before
 * kafkajs does (it swaps two of kafkajs's modules), and ES modules evaluate
 * their imports in order. Types may still be imported from "kafkajs"
 * directly: type imports load nothing.
 */
import { kafkajsPatched } from "./patches/index.js";
import kafkajs from "kafkajs";

export const { Kafka, Partitioners, CompressionTypes, logLevel } = kafkajs;
export { kafkajsPatched };
