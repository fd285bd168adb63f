// REST cursors and pages (indexer/src/api/http.ts): what a route returned decodes, a forged one with a part out of its
// column's range is a 400 that names the cursor, before the database would fail on it; a list route's page and its
// next cursor.
import { expect } from "chai";

import { BadRequest, decodeCursor, encodeCursor, page, pageParameters } from "../../indexer/src/api/http.ts";

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

/** A request whose query holds `query`. */
const request = (query: Record<string, string>) => ({ req: { query: (name: string) => query[name] } });

/** The BadRequest `run` throws. */
function refusal(run: () => unknown): BadRequest {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(BadRequest);
    return error as BadRequest;
  }
  throw new Error("not refused");
}

describe("pageParameters", () => {
  it("reads a list route's limit and cursor, 25 rows and no cursor by default", () => {
    expect(pageParameters(request({}), ["uint"])).to.deep.equal({ limit: 25, cursor: undefined });
    const cursor = encodeCursor([7n, 2]);
    expect(pageParameters(request({ limit: "100", cursor }), ["uint", "int32"])).to.deep.equal({
      limit: 100,
      cursor: ["7", "2"],
    });
  });

  it("refuses a limit out of 1 to 100, and a cursor of other parts, with a 400 naming the parameter", () => {
    for (const limit of ["0", "101", "1.5", "-1", "ten"]) {
      const error = refusal(() => pageParameters(request({ limit }), ["uint"]));
      expect(error.parameter, limit).to.equal("limit");
      expect(error.message).to.equal("limit must be a whole number from 1 to 100");
    }
    const error = refusal(() => pageParameters(request({ cursor: encodeCursor([7n]) }), ["uint", "int32"]));
    expect(error.parameter).to.equal("cursor");
  });
});

describe("page", () => {
  const rows = [{ id: 1n }, { id: 2n }, { id: 3n }];
  const key = (row: { id: bigint }) => [row.id];

  it("keeps the first `limit` rows and the cursor after the last of them when a row follows", () => {
    const { items, nextCursor } = page(rows, 2, key);
    expect(items).to.deep.equal([{ id: 1n }, { id: 2n }]);
    expect(nextCursor).to.equal(encodeCursor([2n]));
    expect(decodeCursor(nextCursor!, ["uint"])).to.deep.equal(["2"]);
  });

  it("has no next cursor on the last page, full or not, nor on an empty one", () => {
    expect(page(rows, 3, key)).to.deep.equal({ items: rows, nextCursor: null });
    expect(page(rows, 5, key)).to.deep.equal({ items: rows, nextCursor: null });
    expect(page([], 5, key)).to.deep.equal({ items: [], nextCursor: null });
  });
});
