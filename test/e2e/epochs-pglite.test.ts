import { describe } from "node:test";

import { epochScenario } from "./epoch-scenario.ts";

describe("attribution epochs end to end on embedded PGlite: node -> deploy -> indexer -> API", () => {
  epochScenario();
});
