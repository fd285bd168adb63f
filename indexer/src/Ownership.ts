// Who controls each contract: the OwnershipTransferStarted and OwnershipTransferred of both (Ownable2Step). The
// registry's owner approves attesters, the vault's sets the protocol fee and pauses, so an auditor checks these first.
import { ponder, type Context, type Event } from "ponder:registry";
import { contractOwner, ownershipEvent, OWNED_CONTRACTS } from "ponder:schema";

import { zeroAddress } from "viem";

import { eventColumns } from "./eventColumns.ts";

type Hex = `0x${string}`;
type Contract = (typeof OWNED_CONTRACTS)[number];

/** Logs an ownership step and sets the contract's row to `owner` and `pendingOwner`. */
async function recordStep(
  context: Context,
  event: Event & { args: { previousOwner: Hex; newOwner: Hex } },
  contract: Contract,
  stage: "started" | "transferred",
  { owner, pendingOwner }: { owner: Hex; pendingOwner: Hex | null },
) {
  const address = event.log.address.toLowerCase() as Hex;
  const { previousOwner, newOwner } = event.args;
  await context.db
    .insert(ownershipEvent)
    .values({ id: event.id, contract, address, stage, previousOwner, newOwner, ...eventColumns(event) });
  await context.db
    .insert(contractOwner)
    .values({ id: address, contract, owner, pendingOwner, updatedAtBlock: event.block.number })
    .onConflictDoUpdate(
      stage === "started"
        ? { pendingOwner, updatedAtBlock: event.block.number }
        : { owner, pendingOwner, updatedAtBlock: event.block.number },
    );
}

for (const contract of OWNED_CONTRACTS) {
  ponder.on(`${contract}:OwnershipTransferStarted`, async ({ event, context }) => {
    // Proposing the owner itself cancels a pending transfer (both contracts refuse the zero address, which
    // Ownable2Step takes as a cancel); either way nobody else may accept, so none is pending.
    const { previousOwner, newOwner } = event.args;
    const cancelled = newOwner === zeroAddress || newOwner.toLowerCase() === previousOwner.toLowerCase();
    await recordStep(context, event, contract, "started", {
      owner: previousOwner,
      pendingOwner: cancelled ? null : newOwner,
    });
  });

  ponder.on(`${contract}:OwnershipTransferred`, async ({ event, context }) => {
    // A transfer (or a renouncement, to the zero address) clears any pending one, as Ownable2Step does.
    await recordStep(context, event, contract, "transferred", { owner: event.args.newOwner, pendingOwner: null });
  });
}
