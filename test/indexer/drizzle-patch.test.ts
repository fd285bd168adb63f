// The indexer runs drizzle-orm with patches/drizzle-orm+<version>.patch applied (docs/operations.md, "A patch to
// drizzle-orm"): `is` reads a class chain's entity kinds once per class instead of walking the chain on every call.
// These checks fail if the drizzle that runs is not the patched one, or if `is` answers differently from the walk.
import { readFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import { Param, SQL, entityKind, is, sql } from "drizzle-orm";

import { patchedPackage } from "./patched.ts";

describe("the patched drizzle-orm", () => {
  const { dir: drizzleDir, version, patches } = patchedPackage("drizzle-orm");

  it("has a patch for the installed drizzle-orm version, applied to both of its builds", () => {
    expect(patches).to.deep.equal([`drizzle-orm+${version}.patch`]);
    for (const file of ["entity.js", "entity.cjs"]) {
      const source = readFileSync(path.join(drizzleDir, file), "utf8");
      expect(source, file).to.include("Tributary patch");
      expect(source, file).to.include("entityKindsByClass.get(cls)");
    }
  });

  it("answers as the class-chain walk did, the first time and every time after", () => {
    // A class from another copy of drizzle: not `instanceof SQL`, but of SQL's entity kind.
    class ForeignSQL {
      static readonly [entityKind] = (SQL as unknown as Record<symbol, string>)[entityKind];
    }
    class ForeignSubSQL extends ForeignSQL {}
    class Unrelated {
      static readonly [entityKind] = "Unrelated";
    }
    const cases: [unknown, unknown, boolean][] = [
      [sql`select 1`, SQL, true],
      [sql`select 1`, Param, false],
      [new Param(1), Param, true],
      [new Param(1), SQL, false],
      [new ForeignSQL(), SQL, true],
      [new ForeignSubSQL(), SQL, true],
      [new ForeignSubSQL(), Param, false],
      [new Unrelated(), SQL, false],
      [Object.create({ constructor: undefined }), SQL, false],
      [{}, SQL, false],
      [null, SQL, false],
      ["SQL", SQL, false],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [value, type, expected] of cases) {
        expect(
          is(value, type as typeof SQL),
          `round ${round}: is(${String(value)}, ${(type as { name: string }).name})`,
        ).to.equal(expected);
      }
    }
  });

  it("still refuses a class that is no drizzle entity", () => {
    class NotAnEntity {}
    expect(() => is(new Param(1), NotAnEntity as unknown as typeof SQL)).to.throw(/doesn't look like a Drizzle entity/);
  });
});
