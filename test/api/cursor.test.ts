// REST cursors (indexer/src/api/http.ts): what a route returned decodes, a forged one with a part out of its column's
// range is a 400 that names the cursor, before the database would fail on it.
import { expect } from "chai";

import { BadRequest, decodeCursor, encodeCursor } from "../../indexer/src/api/http.ts";

const forged = (text: string) => Buffer.from(text).toString("base64url");
const HASH = `0x${"ab".repeat(32)}`;

describe("decodeCursor", () => {
  it("decodes the cursors the routes return", () => {
    expect(decodeCursor(encodeCursor([17n, 3]), ["uint", "int32"])).to.deep.equal(["17", "3"]);
    expect(decodeCursor(encodeCursor([1796124574n, HASH]), ["uint", "hash"])).to.deep.equal(["1796124574", HASH]);
    expect(decodeCursor(encodeCursor([2n ** 256n - 1n]), ["uint"])).to.deep.equal([(2n ** 256n - 1n).toString()]);
    expect(decodeCursor(undefined, ["uint"])).to.equal(undefined);
    expect(decodeCursor("", ["uint"])).to.equal(undefined);
  });

  it("refuses a part out of its column's range or shape with a 400 naming the cursor", () => {
    for (const [cursor, parts] of [
      [forged("1:2147483648"), ["uint", "int32"]],
      [forged("1:99999999999"), ["uint", "int32"]],
      [forged((2n ** 256n).toString()), ["uint"]],
      [forged("9".repeat(90)), ["uint"]],
      [forged("1"), ["uint", "int32"]],
      [forged("1:2:3"), ["uint", "int32"]],
      [forged("-1:0"), ["uint", "int32"]],
      [forged(`1:${HASH.toUpperCase()}`), ["uint", "hash"]],
      ["not base64!", ["uint"]],
    ] as const) {
      let refused: unknown;
      try {
        decodeCursor(cursor, [...parts]);
      } catch (error) {
        refused = error;
      }
      expect(refused, cursor).to.be.instanceOf(BadRequest);
      expect((refused as BadRequest).parameter).to.equal("cursor");
      expect((refused as BadRequest).message).to.equal("cursor is not one this API returned");
    }
  });
});
