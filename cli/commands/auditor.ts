// The auditor's commands: read the indexer's API (or, for a single record, the chain itself).
import type { Command } from "commander";

import { ApiError, getRecord, parseAddress, parseHash } from "../../sdk/index.ts";
import { api, client, config, output } from "../context.ts";

const date = (seconds: string | number) => new Date(Number(seconds) * 1000).toISOString();

export function auditorCommands(program: Command): void {
  program
    .command("contribution")
    .description("show a contribution: author, kind, date, consent, lineage (from the indexer; --chain reads the node)")
    .argument("<hash>", "the contribution's content hash")
    .option("--history", "also list every registration, consent change and transfer")
    .option("--chain", "read the record from the node instead of the indexer")
    .action(async (hash: string, options: { history?: boolean; chain?: boolean }, command: Command) => {
      const contributionId = parseHash(hash, "hash");
      if (options.chain || config(command).apiUrl === undefined) {
        const record = await getRecord(await client(command, { signer: false }), contributionId);
        if (!record) {
          throw new ApiError(
            404,
            `no contribution registered with hash ${contributionId}`,
            "check the hash, or register it with tributary register",
          );
        }
        output(command, record, [
          `${record.contributionId}`,
          `  author    ${record.author}${record.pendingAuthor ? ` (transfer pending to ${record.pendingAuthor})` : ""}`,
          `  kind      ${record.kind}`,
          `  since     ${date(record.registeredAt)}`,
          `  consent   ${record.trainingConsent ? "yes" : "no"}`,
        ]);
        return;
      }
      const client_ = api(command);
      const record = await client_.getContribution(contributionId);
      const history = options.history ? await client_.getContributionHistory(contributionId) : undefined;
      const lines = [
        `${record.id}`,
        `  author    ${record.author}${record.pendingAuthor ? ` (transfer pending to ${record.pendingAuthor})` : ""}`,
        `  kind      ${record.kind}`,
        `  since     ${date(record.registeredAt)} (block ${record.blockNumber}, transaction ${record.transactionHash})`,
        `  consent   ${record.trainingConsent ? "yes" : "no"}`,
        ...(record.uri ? [`  uri       ${record.uri}`] : []),
        `  parents   ${record.parentCount}${record.parents.map((p) => `\n    ${p.hash}`).join("")}`,
        `  children  ${record.childCount}${record.children.map((c) => `\n    ${c.hash}`).join("")}`,
      ];
      if (history) {
        lines.push(
          `  history   ${history.registrations.length} registrations, ${history.consent.length} consent changes, ${history.transfers.length} transfer steps`,
        );
      }
      output(command, history ? { ...record, history } : record, lines);
    });

  program
    .command("author")
    .description("list an author's contributions (from the indexer)")
    .argument("<address>", "the author's wallet")
    .option("--limit <n>", "contributions per page, 1 to 100", "25")
    .option("--cursor <cursor>", "the next page's cursor, as printed by the previous page")
    .option("--all", "follow the cursor through every page")
    .action(async (address: string, options: { limit: string; cursor?: string; all?: boolean }, command: Command) => {
      const author = parseAddress(address, "address");
      const client_ = api(command);
      const page = options.all
        ? await client_.getAllAuthorContributions(author)
        : await client_.getAuthorContributions({ author, limit: Number(options.limit), cursor: options.cursor });
      output(command, page, [
        `${page.author}: ${page.total} contributions`,
        ...page.items.map(
          (c) => `  ${c.id}  ${c.kind.padEnd(12)} ${date(c.registeredAt)}  consent ${c.trainingConsent ? "yes" : "no"}`,
        ),
        ...(page.nextCursor ? [`more: tributary author ${author} --cursor ${page.nextCursor}`] : []),
      ]);
    });

  program
    .command("contracts")
    .description("show who controls each contract: owner, pending owner, attesters, the vault's fee and pause")
    .action(async (_options: object, command: Command) => {
      const answer = await api(command).getContracts();
      const lines: string[] = [];
      for (const c of answer.contracts) {
        const [last] = c.ownershipHistory;
        lines.push(
          `${c.contract} ${c.address}`,
          `  owner      ${c.owner}${c.pendingOwner ? ` (transfer proposed to ${c.pendingOwner})` : ""}`,
        );
        if (c.contract === "AuthorshipRegistry") {
          lines.push(
            `  attesters  ${c.approvedAttesters.length}${c.approvedAttestersTruncated ? "+" : ""}${c.approvedAttesters.map((a) => `\n    ${a}`).join("")}`,
          );
        } else {
          lines.push(
            `  fee        ${c.feeBps} bps${c.feeBps > 0 ? ` to ${c.feeRecipient}` : ""}`,
            `  paused     ${c.paused ? "yes: deposits and unit changes stopped, claims still work" : "no"}`,
          );
        }
        if (last) {
          const what = last.stage === "started" ? "proposed to" : "transferred to";
          lines.push(`  last       ownership ${what} ${last.newOwner} in block ${last.blockNumber}`);
        }
      }
      output(command, answer, lines);
    });

  program
    .command("root")
    .description("show an anchored Merkle root: its attester, date and leaf file (from the indexer)")
    .argument("<root>", "the root")
    .action(async (root: string, _options: object, command: Command) => {
      const anchor = await api(command).getAnchor(parseHash(root, "root"));
      output(command, anchor, [
        `${anchor.id}`,
        `  attester  ${anchor.attester}`,
        `  anchored  ${date(anchor.anchoredAt)} (block ${anchor.blockNumber})`,
        `  leaves    ${anchor.uri}`,
      ]);
    });
}
