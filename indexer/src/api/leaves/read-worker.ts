// A large leaf file's check (the SDK's readLeafFile: every line parsed and hashed, then the tree rebuilt) run in a
// worker thread, so that the API's thread keeps answering while a million leaves are hashed: the tree comes back as
// transferred buffers, not copies. Only Node's own type stripping runs this file: it and what it imports are plain
// erasable TypeScript.
import { parentPort, workerData } from "node:worker_threads";

import { TributaryError } from "../../../../sdk/errors.ts";
import { fileChunks } from "../../../../sdk/epochs/files.ts";
import { readLeafFile } from "../../../../sdk/epochs/leaf-file.ts";

const { file } = workerData as { file: string };
try {
  const read = await readLeafFile({ chunks: fileChunks(file), source: "the leaf file" });
  const { nodes, positions } = read.tree;
  parentPort!.postMessage({ read }, [nodes.buffer as ArrayBuffer, positions.buffer as ArrayBuffer]);
} catch (error) {
  parentPort!.postMessage({
    refused: error instanceof TributaryError ? error.shortMessage : undefined,
    message: (error as Error).message,
  });
}
