// A light HTTP client for the load generators: node:http with kept-alive connections. Under an open loop of hundreds
// of requests a second, fetch's own work (its streams and the objects around each answer) made the client's
// collections pause it for 10-20 ms about twice a second, time the loop counted against the API.
import http from "node:http";

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export interface Answer {
  status: number;
  body: string;
}

/** GET `url` on a kept-alive connection; fails after `timeoutMs` without an answer. */
export function get(url: string, timeoutMs = 30_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      response.on("error", reject);
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}
