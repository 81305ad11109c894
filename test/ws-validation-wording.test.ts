// Directus's exact words for the WebSocket messages its zod schemas reject. Every expected frame is
// what a live Directus 12.4 sent for the message beside it: probed with tools/differential/probe.ts
// (first table), recorded in the conformance framing transcript (second) and found by differential
// runs (third). A string is sent as it stands (raw JSON, e.g. `1e999`, which parses to Infinity).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as Result from 'effect/Result';
import * as Schema from 'effect/Schema';
import { AuthMessage, Envelope, ItemsMessage, SubscribeMessage, UnsubscribeMessage } from '../core/messages.ts';
import { explain, MAX_EXPLAINED_ELEMENTS } from '../core/validation-wording/explain.ts';
import { formatIssues } from '../core/validation-wording/format.ts';
import { Driver, fixtureState } from './driver.ts';

type Case = readonly [message: unknown, frame: unknown];

const probed: Case[] = [
  [{},
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received undefined at \"type\""}}],
  [{"type": 5},
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received number at \"type\""}}],
  [{"type": "items"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received undefined at \"collection\"; Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received undefined at \"collection\"; Invalid input: expected \"read\" at \"action\" or Invalid input: expected string, received undefined at \"collection\"; Invalid input: expected \"update\" at \"action\" or Invalid input: expected string, received undefined at \"collection\"; Invalid input: expected \"delete\" at \"action\""}}],
  [{"type": "items", "uid": null},
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received null at \"uid\" or Invalid input: expected number, received null at \"uid\""}}],
  [{"type": "items", "uid": true, "collection": "products", "action": "read"},
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received boolean at \"uid\" or Invalid input: expected number, received boolean at \"uid\""}}],
  [{"type": "items", "collection": "products", "uid": "c7"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\" or Invalid input: expected \"update\" at \"action\" or Invalid input: expected \"delete\" at \"action\""}, "uid": "c7"}],
  [{"type": "items", "collection": "products", "action": 5, "uid": "c8"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\" or Invalid input: expected \"update\" at \"action\" or Invalid input: expected \"delete\" at \"action\""}, "uid": "c8"}],
  [{"type": "items", "collection": "products", "action": null, "uid": "c9"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\" or Invalid input: expected \"update\" at \"action\" or Invalid input: expected \"delete\" at \"action\""}, "uid": "c9"}],
  [{"type": "items", "collection": null, "action": "create", "uid": "c10"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received null at \"collection\" or Invalid input: expected string, received null at \"collection\"; Invalid input: expected \"read\" at \"action\" or Invalid input: expected string, received null at \"collection\"; Invalid input: expected \"update\" at \"action\" or Invalid input: expected string, received null at \"collection\"; Invalid input: expected \"delete\" at \"action\""}, "uid": "c10"}],
  [{"type": "items", "collection": ["products"], "action": "read", "id": {}, "ids": "x", "uid": "c11"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received array at \"collection\"; Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received array at \"collection\"; Invalid input: expected array, received string at \"ids\"; Invalid input: expected string, received object at \"id\" or Invalid input: expected number, received object at \"id\" or Invalid input: expected string, received array at \"collection\"; Invalid input: expected \"update\" at \"action\"; Invalid input: expected array, received string at \"ids\"; Invalid input: expected string, received object at \"id\" or Invalid input: expected number, received object at \"id\" or Invalid input: expected string, received array at \"collection\"; Invalid input: expected \"delete\" at \"action\"; Invalid input: expected array, received string at \"ids\"; Invalid input: expected string, received object at \"id\" or Invalid input: expected number, received object at \"id\""}, "uid": "c11"}],
  [{"type": "items", "collection": "products", "action": "read", "ids": [1, null, "a", [], 1.5], "uid": "c12"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received null at \"ids[1]\" or Invalid input: expected number, received null at \"ids[1]\"; Invalid input: expected string, received array at \"ids[3]\" or Invalid input: expected number, received array at \"ids[3]\" or Invalid input: expected \"update\" at \"action\"; Invalid input: expected string, received null at \"ids[1]\" or Invalid input: expected number, received null at \"ids[1]\"; Invalid input: expected string, received array at \"ids[3]\" or Invalid input: expected number, received array at \"ids[3]\" or Invalid input: expected \"delete\" at \"action\"; Invalid input: expected string, received null at \"ids[1]\" or Invalid input: expected number, received null at \"ids[1]\"; Invalid input: expected string, received array at \"ids[3]\" or Invalid input: expected number, received array at \"ids[3]\""}, "uid": "c12"}],
  [{"type": "items", "collection": "products", "action": "delete", "ids": {}, "uid": "c13"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\"; Invalid input: expected array, received object at \"ids\" or Invalid input: expected \"update\" at \"action\"; Invalid input: expected array, received object at \"ids\" or Invalid input: expected array, received object at \"ids\""}, "uid": "c13"}],
  [{"type": "items", "collection": "products", "action": "update", "id": true, "data": {}, "uid": "c14"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\"; Invalid input: expected string, received boolean at \"id\" or Invalid input: expected number, received boolean at \"id\" or Invalid input: expected string, received boolean at \"id\" or Invalid input: expected number, received boolean at \"id\" or Invalid input: expected \"delete\" at \"action\"; Invalid input: expected string, received boolean at \"id\" or Invalid input: expected number, received boolean at \"id\""}, "uid": "c14"}],
  ["{\"type\":\"items\",\"collection\":\"products\",\"action\":\"read\",\"id\":1e999,\"uid\":\"c16\"}",
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received number at \"id\" or Invalid input: expected number, received number at \"id\" or Invalid input: expected \"update\" at \"action\"; Invalid input: expected string, received number at \"id\" or Invalid input: expected number, received number at \"id\" or Invalid input: expected \"delete\" at \"action\"; Invalid input: expected string, received number at \"id\" or Invalid input: expected number, received number at \"id\""}, "uid": "c16"}],
  [{"type": "items", "collection": "products", "action": "READ", "uid": "c18"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\" or Invalid input: expected \"update\" at \"action\" or Invalid input: expected \"delete\" at \"action\""}, "uid": "c18"}],
  [{"type": "items", "collection": {}, "action": "nope", "ids": [null], "id": false, "uid": "c20"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received object at \"collection\"; Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received object at \"collection\"; Invalid input: expected \"read\" at \"action\"; Invalid input: expected string, received null at \"ids[0]\" or Invalid input: expected number, received null at \"ids[0]\"; Invalid input: expected string, received boolean at \"id\" or Invalid input: expected number, received boolean at \"id\" or Invalid input: expected string, received object at \"collection\"; Invalid input: expected \"update\" at \"action\"; Invalid input: expected string, received null at \"ids[0]\" or Invalid input: expected number, received null at \"ids[0]\"; Invalid input: expected string, received boolean at \"id\" or Invalid input: expected number, received boolean at \"id\" or Invalid input: expected string, received object at \"collection\"; Invalid input: expected \"delete\" at \"action\"; Invalid input: expected string, received null at \"ids[0]\" or Invalid input: expected number, received null at \"ids[0]\"; Invalid input: expected string, received boolean at \"id\" or Invalid input: expected number, received boolean at \"id\""}, "uid": "c20"}],
  ["{\"type\":\"items\",\"collection\":\"products\",\"action\":\"read\",\"id\":1,\"uid\":1e999}",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received number at \"uid\" or Invalid input: expected number, received number at \"uid\""}}],
  ["5",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected object, received number"}}],
  ["true",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected object, received boolean"}}],
  ["{bad",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Unable to parse the incoming message."}}],
  [{"type": "subscribe", "uid": "s24"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received undefined at \"collection\""}}],
  [{"type": "subscribe", "collection": 5, "event": 5, "item": null, "query": [], "uid": "s25"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received number at \"collection\"; Invalid input: expected \"create\" at \"event\" or Invalid input: expected \"update\" at \"event\" or Invalid input: expected \"delete\" at \"event\"; Invalid input: expected string, received null at \"item\" or Invalid input: expected number, received null at \"item\"; Invalid input: expected record, received array at \"query\""}}],
  [{"type": "subscribe", "collection": "products", "query": null, "uid": "s26"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected record, received null at \"query\""}}],
  [{"type": "subscribe", "collection": "products", "item": {}, "uid": "s27"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received object at \"item\" or Invalid input: expected number, received object at \"item\""}}],
  [{"type": "subscribe", "collection": "products", "query": "x", "uid": "s28"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected record, received string at \"query\""}}],
  [{"type": "subscribe", "collection": "products", "event": null, "uid": "s29"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"event\" or Invalid input: expected \"update\" at \"event\" or Invalid input: expected \"delete\" at \"event\""}}],
  [{"type": "unsubscribe", "uid": {}},
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received object at \"uid\" or Invalid input: expected number, received object at \"uid\""}}],
  [{"type": "ping", "uid": []},
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received array at \"uid\" or Invalid input: expected number, received array at \"uid\""}}],
  [{"type": "pong", "uid": null},
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received null at \"uid\" or Invalid input: expected number, received null at \"uid\""}}],
  [{"type": "items", "collection": "products", "action": "read", "ids": [[1]], "id": [1], "uid": "c34"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received array at \"ids[0]\" or Invalid input: expected number, received array at \"ids[0]\"; Invalid input: expected string, received array at \"id\" or Invalid input: expected number, received array at \"id\" or Invalid input: expected \"update\" at \"action\"; Invalid input: expected string, received array at \"ids[0]\" or Invalid input: expected number, received array at \"ids[0]\"; Invalid input: expected string, received array at \"id\" or Invalid input: expected number, received array at \"id\" or Invalid input: expected \"delete\" at \"action\"; Invalid input: expected string, received array at \"ids[0]\" or Invalid input: expected number, received array at \"ids[0]\"; Invalid input: expected string, received array at \"id\" or Invalid input: expected number, received array at \"id\""}, "uid": "c34"}],
  [{"type": "subscribe", "collection": "products", "item": 1e+308, "event": "CREATE", "query": {"a": 1}, "leave": "x", "uid": "s35"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"event\" or Invalid input: expected \"update\" at \"event\" or Invalid input: expected \"delete\" at \"event\""}}],
];

const framingTranscript: Case[] = [
  ["{\"type\":\"ping\",\"uid\":null}",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received null at \"uid\" or Invalid input: expected number, received null at \"uid\""}}],
  ["{\"type\":\"ping\",\"uid\":{\"a\":1}}",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received object at \"uid\" or Invalid input: expected number, received object at \"uid\""}}],
  ["[1,2,3]",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected object, received array"}}],
  ["\"hello\"",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected object, received string"}}],
  ["123",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected object, received number"}}],
  ["null",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected object, received null"}}],
  ["{\"uid\":\"object-without-type\",\"foo\":1}",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received undefined at \"type\""}}],
  ["{\"type\":5,\"uid\":\"type-number\"}",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received number at \"type\""}}],
  ["{\"type\":\"items\",\"action\":\"upsert\",\"collection\":\"articles\",\"uid\":\"items-unknown-action\"}",
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\" or Invalid input: expected \"update\" at \"action\" or Invalid input: expected \"delete\" at \"action\""}, "uid": "items-unknown-action"}],
  ["{\"type\":\"items\",\"collection\":\"articles\",\"uid\":\"items-missing-action\"}",
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\" or Invalid input: expected \"update\" at \"action\" or Invalid input: expected \"delete\" at \"action\""}, "uid": "items-missing-action"}],
  ["{\"type\":\"items\",\"action\":\"read\",\"uid\":\"items-missing-collection\"}",
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received undefined at \"collection\"; Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received undefined at \"collection\" or Invalid input: expected string, received undefined at \"collection\"; Invalid input: expected \"update\" at \"action\" or Invalid input: expected string, received undefined at \"collection\"; Invalid input: expected \"delete\" at \"action\""}, "uid": "items-missing-collection"}],
  ["{\"type\":\"items\",\"action\":\"read\",\"collection\":5,\"uid\":\"items-collection-number\"}",
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received number at \"collection\"; Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received number at \"collection\" or Invalid input: expected string, received number at \"collection\"; Invalid input: expected \"update\" at \"action\" or Invalid input: expected string, received number at \"collection\"; Invalid input: expected \"delete\" at \"action\""}, "uid": "items-collection-number"}],
  ["{\"type\":\"items\",\"action\":\"read\",\"collection\":\"authors\",\"uid\":{\"x\":1}}",
    {"type": "server", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received object at \"uid\" or Invalid input: expected number, received object at \"uid\""}}],
  ["{\"type\":\"items\",\"action\":\"read\",\"collection\":\"authors\",\"id\":{\"x\":1},\"uid\":\"items-id-object\"}",
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received object at \"id\" or Invalid input: expected number, received object at \"id\" or Invalid input: expected \"update\" at \"action\"; Invalid input: expected string, received object at \"id\" or Invalid input: expected number, received object at \"id\" or Invalid input: expected \"delete\" at \"action\"; Invalid input: expected string, received object at \"id\" or Invalid input: expected number, received object at \"id\""}, "uid": "items-id-object"}],
  ["{\"type\":\"subscribe\",\"uid\":\"subscribe-missing-collection\"}",
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received undefined at \"collection\""}}],
  ["{\"type\":\"subscribe\",\"collection\":\"articles\",\"event\":\"foo\",\"uid\":\"subscribe-bad-event\"}",
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"event\" or Invalid input: expected \"update\" at \"event\" or Invalid input: expected \"delete\" at \"event\""}}],
];

const differentialRuns: Case[] = [
  [{"type": "items", "collection": "reviews", "action": "read", "ids": [{}, 999, 1], "query": {"filter": {"product": {"qty": {"_json": 1}}}, "sort": ["-rating"], "page": "2"}, "uid": "q1"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received object at \"ids[0]\" or Invalid input: expected number, received object at \"ids[0]\" or Invalid input: expected \"update\" at \"action\"; Invalid input: expected string, received object at \"ids[0]\" or Invalid input: expected number, received object at \"ids[0]\" or Invalid input: expected \"delete\" at \"action\"; Invalid input: expected string, received object at \"ids[0]\" or Invalid input: expected number, received object at \"ids[0]\""}, "uid": "q1"}],
  [{"type": "items", "action": "read", "uid": "m1"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received undefined at \"collection\"; Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received undefined at \"collection\" or Invalid input: expected string, received undefined at \"collection\"; Invalid input: expected \"update\" at \"action\" or Invalid input: expected string, received undefined at \"collection\"; Invalid input: expected \"delete\" at \"action\""}, "uid": "m1"}],
  [{"type": "subscribe", "collection": "reviews", "query": {"fields": ["*", "body", "product.id"], "filter": {"_and": [{"product": {"weight": {"_between": [3, 1.5]}}}, {"rating": {"_eq": 1}}]}, "search": 5}, "event": "nope", "uid": "s1"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"event\" or Invalid input: expected \"update\" at \"event\" or Invalid input: expected \"delete\" at \"event\""}}],
  [{"type": "subscribe", "collection": "products_tags", "query": {"filter": {"_and": [{"id": {"_lt": null}}, {"tags_id": {"_nnull": true}}]}}, "event": "nope", "uid": "s1"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"event\" or Invalid input: expected \"update\" at \"event\" or Invalid input: expected \"delete\" at \"event\""}}],
  [{"type": "subscribe", "collection": "pages_blocks", "query": {"offset": 3}, "event": "nope", "uid": "s1"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"event\" or Invalid input: expected \"update\" at \"event\" or Invalid input: expected \"delete\" at \"event\""}}],
  [{"type": "items", "collection": "site", "action": "read", "id": null, "uid": "m1"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received null at \"id\" or Invalid input: expected number, received null at \"id\" or Invalid input: expected \"update\" at \"action\"; Invalid input: expected string, received null at \"id\" or Invalid input: expected number, received null at \"id\" or Invalid input: expected \"delete\" at \"action\"; Invalid input: expected string, received null at \"id\" or Invalid input: expected number, received null at \"id\""}, "uid": "m1"}],
  [{"type": "items", "collection": 5, "action": "read", "uid": "m1"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected string, received number at \"collection\"; Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received number at \"collection\" or Invalid input: expected string, received number at \"collection\"; Invalid input: expected \"update\" at \"action\" or Invalid input: expected string, received number at \"collection\"; Invalid input: expected \"delete\" at \"action\""}, "uid": "m1"}],
  [{"type": "subscribe", "collection": "people", "event": "nope", "uid": "s1"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"event\" or Invalid input: expected \"update\" at \"event\" or Invalid input: expected \"delete\" at \"event\""}}],
  [{"type": "items", "collection": "countries", "action": "update", "ids": [true], "data": {"area": 385207.25, "eu": false, "population": 68000000}, "uid": "q1"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\"; Invalid input: expected string, received boolean at \"ids[0]\" or Invalid input: expected number, received boolean at \"ids[0]\" or Invalid input: expected string, received boolean at \"ids[0]\" or Invalid input: expected number, received boolean at \"ids[0]\" or Invalid input: expected \"delete\" at \"action\"; Invalid input: expected string, received boolean at \"ids[0]\" or Invalid input: expected number, received boolean at \"ids[0]\""}, "uid": "q1"}],
  [{"type": "items", "collection": "categories", "action": "delete", "id": {}, "uid": "q1"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\"; Invalid input: expected string, received object at \"id\" or Invalid input: expected number, received object at \"id\" or Invalid input: expected \"update\" at \"action\"; Invalid input: expected string, received object at \"id\" or Invalid input: expected number, received object at \"id\" or Invalid input: expected string, received object at \"id\" or Invalid input: expected number, received object at \"id\""}, "uid": "q1"}],
  [{"type": "subscribe", "collection": "tags", "query": {"filter": {"label": {"_ncontains": "\u00fc-x"}}, "page": 2}, "event": "nope", "uid": "s1"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"event\" or Invalid input: expected \"update\" at \"event\" or Invalid input: expected \"delete\" at \"event\""}}],
  [{"type": "items", "collection": "block_image", "action": "read", "ids": [{}], "query": {"fields": ["*"], "filter": {"ratio": {"_nin": [-1, 1.5]}}, "sort": 5, "page": 2, "meta": "filter_count"}, "uid": "q1"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected string, received object at \"ids[0]\" or Invalid input: expected number, received object at \"ids[0]\" or Invalid input: expected \"update\" at \"action\"; Invalid input: expected string, received object at \"ids[0]\" or Invalid input: expected number, received object at \"ids[0]\" or Invalid input: expected \"delete\" at \"action\"; Invalid input: expected string, received object at \"ids[0]\" or Invalid input: expected number, received object at \"ids[0]\""}, "uid": "q1"}],
  [{"type": "subscribe", "collection": "block_text", "event": "nope", "uid": "s1"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"event\" or Invalid input: expected \"update\" at \"event\" or Invalid input: expected \"delete\" at \"event\""}}],
  [{"type": "items", "collection": "countries", "action": "delete", "ids": ["ZZ", true, "NO"], "query": {"filter": {"code": {"_nin": ["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "abc"]}}, "sort": ["-cities.coords", "-population"], "limit": "abc"}, "uid": "q1"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\"; Invalid input: expected string, received boolean at \"ids[1]\" or Invalid input: expected number, received boolean at \"ids[1]\" or Invalid input: expected \"update\" at \"action\"; Invalid input: expected string, received boolean at \"ids[1]\" or Invalid input: expected number, received boolean at \"ids[1]\" or Invalid input: expected string, received boolean at \"ids[1]\" or Invalid input: expected number, received boolean at \"ids[1]\""}, "uid": "q1"}],
  [{"type": "items", "collection": "prefs", "action": "nope", "uid": "m1"},
    {"type": "items", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"action\" or Invalid input: expected \"read\" at \"action\" or Invalid input: expected \"update\" at \"action\" or Invalid input: expected \"delete\" at \"action\""}, "uid": "m1"}],
  [{"type": "subscribe", "collection": "cities", "query": {"fields": ["people.id", "*"], "limit": "abc", "page": 1}, "event": "nope", "uid": "s1"},
    {"type": "subscribe", "status": "error", "error": {"code": "INVALID_PAYLOAD", "message": "Validation error: Invalid input: expected \"create\" at \"event\" or Invalid input: expected \"update\" at \"event\" or Invalid input: expected \"delete\" at \"event\""}}],
];

const replies = (cases: Case[]) => {
  for (const [message, frame] of cases) {
    it(typeof message === 'string' ? message : JSON.stringify(message), () => {
      assert.deepEqual(new Driver(fixtureState()).admin().reply('A', message), frame);
    });
  }
};

describe('WebSocket validation errors in Directus\'s words', () => {
  describe('probed against Directus: every field of every message type', () => replies(probed));
  describe('the conformance framing transcript', () => replies(framingTranscript));
  describe('found by differential runs', () => replies(differentialRuns));

  it('stays silent for auth messages that fail their schema, as Directus does on an open connection', () => {
    const d = new Driver(fixtureState()).admin();
    for (const message of [{ type: 'auth', uid: 'a1' }, { type: 'auth', access_token: 5 }, { type: 'auth', email: 'x', password: 'y' },
      { type: 'auth', uid: {}, access_token: 'zzz' }, { type: 'auth', email: 'a@b.co', password: 5 }]) {
      assert.deepEqual(d.frames('A', message), []);
    }
    assert.deepEqual(d.reply('A', { type: 'ping', uid: 'p1' }), { type: 'pong', uid: 'p1' });
  });

  it(`explains the first ${MAX_EXPLAINED_ELEMENTS} failing elements of an array, however long it is`, () => {
    const d = new Driver(fixtureState()).admin();
    const reply = d.reply('A', { type: 'items', collection: 'articles', action: 'delete', ids: Array(300_000).fill({}), uid: 'h' }) as { error: { message: string } };
    const last = MAX_EXPLAINED_ELEMENTS - 1;
    assert.match(reply.error.message, new RegExp(`^Validation error: Invalid input: expected "create" at "action" or .*received object at "ids\\[${last}\\]" or`));
    assert.doesNotMatch(reply.error.message, new RegExp(`"ids\\[${last + 1}\\]"`));
  });

  it('accepts what Directus passes through: any `leave`, unknown keys, any `query` or `data` on items', () => {
    const d = new Driver(fixtureState()).admin();
    const [init] = d.frames('A', { type: 'subscribe', collection: 'articles', leave: 'x', extra: [1], query: { fields: ['id'] }, uid: 's1' }) as { type: string; event: string }[];
    assert.deepEqual([init?.type, init?.event], ['subscription', 'init']);
    const read = d.reply('A', { type: 'items', collection: 'articles', action: 'read', id: 1, data: null, extra: {}, query: { fields: ['id'] }, uid: 'r1' });
    assert.deepEqual(read, { type: 'items', data: { id: 1 }, uid: 'r1' });
  });
});

// Directus asks whether the collection exists (assertCollectionActive) before it reads the query or
// the form of a delete; frames probed against Directus 12.4.
describe('an items message for a collection that does not exist', () => {
  const forbidden = (collection: string, uid: string) => ({
    type: 'items', status: 'error',
    error: { code: 'FORBIDDEN', message: `You don't have permission to access collection "${collection}" or it does not exist. Queried in root.` }, uid,
  });
  it('is FORBIDDEN before its query or the delete form is checked, for admin, reader and public', () => {
    const d = new Driver(fixtureState({ authMode: 'public' })).admin().reader();
    d.open('P');
    assert.deepEqual(d.reply('A', { type: 'items', collection: '', action: 'delete', uid: 'c8' }), forbidden('', 'c8'));
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'nope', action: 'read', query: { limit: 'x' }, uid: 'c9' }), forbidden('nope', 'c9'));
    assert.deepEqual(d.reply('R', { type: 'items', collection: 'nope', action: 'update', query: { filter: 5 }, data: {}, uid: 'c10' }), forbidden('nope', 'c10'));
    assert.deepEqual(d.reply('P', { type: 'items', collection: 'nope', action: 'delete', uid: 'c11' }), forbidden('nope', 'c11'));
  });
});

// zod-validation-error's path and joining rules, for shapes the message schemas cannot produce.
describe('formatIssues', () => {
  const type = (path: (string | number)[], input: unknown) => ({ code: 'invalid_type' as const, path, expected: 'string', input });
  it('names a top-level index "at index N", quotes other paths, brackets keys that are not identifiers', () => {
    assert.equal(formatIssues([type([2], 1)]), 'Validation error: Invalid input: expected string, received number at index 2');
    assert.equal(formatIssues([type(['a', 0, 'b c', '1', 'q"x'], null)]),
      'Validation error: Invalid input: expected string, received null at "a[0].b c["1"]["q\\"x"]"');
    assert.equal(formatIssues([type([''], null)]), 'Validation error: Invalid input: expected string, received null at """"');
  });
  it('joins union members with " or " once each, issues with "; ", and says only "Validation error" for none', () => {
    const union = { code: 'invalid_union' as const, path: ['k'], errors: [[type(['k'], 1)], [type(['k'], 1)], [{ code: 'invalid_value' as const, path: ['k', 'x'], values: [5] }]] };
    assert.equal(formatIssues([union, type(['z'], [])]),
      'Validation error: Invalid input: expected string, received number at "k" or Invalid input: expected 5 at "k.x"; Invalid input: expected string, received array at "z"');
    assert.equal(formatIssues([]), 'Validation error');
  });
});

// Decoding (effect) and the explanation (zod's rules) must agree on what fails, or a message would be
// rejected with no reason given, or explained though it passed.
describe('explain agrees with decoding', () => {
  const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 3 }),
    fc.constantFrom('items', 'subscribe', 'unsubscribe', 'auth', 'ping', 'create', 'read', 'update', 'delete', 'a@b.co', Infinity, -Infinity));
  const value = fc.letrec((tie) => ({
    any: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('any'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 2 }), tie('any'), { maxKeys: 2 })),
  })).any;
  const message = fc.record({
    type: fc.constantFrom('items', 'subscribe', 'unsubscribe', 'auth', 'ping'), uid: value, collection: value, action: value, id: value,
    ids: value, data: value, query: value, event: value, item: value, email: value, password: value, access_token: value, refresh_token: value,
  }, { requiredKeys: ['type'] });
  const schemas = { Envelope, ItemsMessage, SubscribeMessage, UnsubscribeMessage, AuthMessage };
  for (const [name, schema] of Object.entries(schemas)) {
    it(name, () => {
      const decode = Schema.decodeUnknownResult(schema as any);
      fc.assert(fc.property(fc.oneof(message, value), (input) => {
        assert.equal(explain(schema.ast, input).length > 0, Result.isFailure(decode(input)), JSON.stringify(input));
      }), { numRuns: 3000 });
    });
  }
});
