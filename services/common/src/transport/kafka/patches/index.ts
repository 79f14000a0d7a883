/**
 * Swaps three of kafkajs 2.2.4's producer modules for faster ones with the
 * same results (kafkajs is no longer released, so the fixes cannot come from
 * upstream): the per-partition grouping (quadratic there), the record batch
 * checksum, and the record encoder. Must run before kafkajs loads:
 * ../kafkajs.ts imports this module first.
 */
import { crc32c } from "./crc32c.js";
import { groupMessagesPerPartition } from "./linear-grouping.js";
import { kafkajsFile, replaceModule } from "./module-cache.js";
import { exactRecord } from "./record.js";

export const GROUPING_FILE = kafkajsFile("producer/groupMessagesPerPartition.js");
export const CRC32C_FILE = kafkajsFile("protocol/recordBatch/crc32C/crc32C.js");
export const RECORD_FILE = kafkajsFile("protocol/recordBatch/record/v0/index.js");

const grouping = replaceModule(GROUPING_FILE, kafkajsFile("producer/sendMessages.js"), () => groupMessagesPerPartition);
const checksum = replaceModule(CRC32C_FILE, kafkajsFile("protocol/recordBatch/crc32C/index.js"), () => crc32c);
const record = replaceModule(RECORD_FILE, kafkajsFile("protocol/requests/produce/v3/request.js"), exactRecord);

/** Whether every replacement is what kafkajs uses (false only if kafkajs was loaded first). */
export const kafkajsPatched = grouping && checksum && record;
