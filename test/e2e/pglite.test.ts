import { describe } from "node:test";

import { endToEndScenario } from "./scenario.ts";

describe("end to end on embedded PGlite: node -> deploy -> indexer -> API", () => {
  endToEndScenario();
});
