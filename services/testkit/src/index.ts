/**
 * Test doubles of the interfaces in services/common, shared by the services' specs
 * (`import { FakeConsumer } from "@cryptostream/testkit"`). It depends on common only,
 * so any service's tsconfig can reference it (the processors' do). No service's
 * package.json lists it: specs find it through the workspace link, and no image
 * installs or ships it. Doubles of one service's own code stay in that service's
 * test/ folder.
 */
export * from "./fake-consumer.js";
export * from "./spec-sink.js";
export * from "./spec-store.js";
export * from "./store-contract.js";
