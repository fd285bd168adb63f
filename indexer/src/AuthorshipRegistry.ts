import { ponder } from "ponder:registry";
import { contribution } from "ponder:schema";

import { KINDS } from "../ponder.schema";

ponder.on("AuthorshipRegistry:ContributionRegistered", async ({ event, context }) => {
  const kind = KINDS[event.args.kind];
  if (kind === undefined) throw new Error(`unknown contribution kind ${event.args.kind} in ${event.id}`);
  await context.db.insert(contribution).values({
    id: event.args.contentHash,
    author: event.args.author,
    kind,
    registeredAt: BigInt(event.args.registeredAt),
    trainingConsent: event.args.trainingConsent,
    uri: event.args.uri,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
});
