// Deterministic usage logs for the epoch benchmarks: the same seed gives the same log on every machine.
import { open } from "node:fs/promises";

/** mulberry32: the same sequence for the same seed on every machine. */
export function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Writes a usage log of `lines` uses of `lines` distinct contributions, weights 1 to 1,000 tokens. */
export async function writeUsageLog(file: string, lines: number, seed: number): Promise<void> {
  const next = generator(seed);
  const handle = await open(file, "w");
  try {
    let text = "";
    for (let i = 0; i < lines; i++) {
      let id = "0x";
      for (let w = 0; w < 8; w++) id += next().toString(16).padStart(8, "0");
      text += `{"contributionId":"${id}","weight":${1 + (next() % 1000)},"time":${1_764_547_200 + i}}\n`;
      if (text.length > 1 << 20) {
        await handle.write(text);
        text = "";
      }
    }
    await handle.write(text);
  } finally {
    await handle.close();
  }
}
