import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeHtmlEntities } from "./html-entities.js";

test("decodes the named entities Twitter and HTML use", () => {
  assert.equal(decodeHtmlEntities("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"), `a & b <c> "d" 'e'`);
  assert.equal(decodeHtmlEntities("&AMP;"), "&");
});

test("decodes decimal and hex numeric entities, including astral code points", () => {
  assert.equal(decodeHtmlEntities("don&#39;t"), "don't");
  assert.equal(decodeHtmlEntities("&#x41;&#X42;&#67;"), "ABC");
  assert.equal(decodeHtmlEntities("&#x1F680;"), "🚀");
  assert.equal(decodeHtmlEntities("&#1073;&#1080;&#1090;"), "бит");
});

test("invalid code points and unknown names become a space", () => {
  assert.equal(decodeHtmlEntities("a&#xD800;b"), "a b");
  assert.equal(decodeHtmlEntities("a&#0;b"), "a b");
  assert.equal(decodeHtmlEntities("a&#9999999;b"), "a b");
  assert.equal(decodeHtmlEntities("wait&hellip;what"), "wait what");
});

test("double-escaped text is decoded fully; text without entities is untouched", () => {
  assert.equal(decodeHtmlEntities("AT&amp;amp;T"), "AT&T");
  assert.equal(decodeHtmlEntities("fish & chips; & more"), "fish & chips; & more");
  assert.equal(decodeHtmlEntities(""), "");
});
