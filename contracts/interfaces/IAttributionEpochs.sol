// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import { IAuthorshipRegistry } from "./IAuthorshipRegistry.sol";
import { IPayouts } from "./IPayouts.sol";
import { IRoyaltyVault } from "./IRoyaltyVault.sol";
import { Epochs } from "../types/EpochTypes.sol";

/// @title IAttributionEpochs
/// @notice Usage-based royalties for any number of contributions per root.
///
/// An epoch pool holds one token (ETH or an ERC-20), an admin (the model provider), a publisher it appoints, a
/// challenger, a challenge window and an unclaimed-funds policy fixed at creation. Anyone funds a pool (what arrived,
/// net of the vault's protocol fee). For each epoch the publisher computes attribution off-chain and publishes one
/// Merkle root of cumulative amounts per contribution, with a manifest that says how it was computed
/// ({Epochs.Manifest}); a root whose total exceeds what was funded is refused. A root pays once its challenge window
/// has passed unvetoed; until then the previous root keeps paying, and no publication can reset or extend the window.
/// The registered author at claim time claims `cumulativeAmount - alreadyClaimed` with a proof, under the escrow rule
/// of the vault: a record dated before the publication of the leaf's first epoch, or one the admin confirmed.
///
/// Leaf (OpenZeppelin StandardMerkleTree, types `["uint256","address","uint256","bytes32","uint256","uint32"]`):
///   keccak256(bytes.concat(keccak256(abi.encode(chainId, address(this), poolId, contributionId, cumulativeAmount,
///   firstEpoch))))
///
/// Accounting, per pool, in the token's smallest unit: claimed <= funded, and each contribution's claimed amount is
/// at most its cumulative amount in a root that paid; per token, the contract's balance covers
/// sum over pools(funded - claimed) + fees owed + deferred payouts.
interface IAttributionEpochs is IPayouts {
    /*//////////////////////////////////////////////////////////////////////////
                                       EVENTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Emitted when an epoch pool is created.
    /// @param poolId The new pool's id; ids count up from 1.
    /// @param token The pool's token; the zero address means ETH.
    /// @param admin The pool's admin (the model provider).
    /// @param creator The wallet that created the pool.
    /// @param publisher The wallet that publishes roots.
    /// @param challenger The wallet that may veto a pending root.
    /// @param challengeWindow Seconds a published root waits before it pays.
    /// @param reclaimDelay Seconds after the last publication after which the admin may reclaim what is unclaimed;
    /// zero: never.
    /// @param metadataUri Where the pool's metadata lives; stored in this event only.
    event EpochPoolCreated(
        uint256 indexed poolId,
        address indexed token,
        address indexed admin,
        address creator,
        address publisher,
        address challenger,
        uint40 challengeWindow,
        uint40 reclaimDelay,
        string metadataUri
    );

    /// @notice Emitted when a pool's admin appoints a publisher.
    /// @param poolId The pool.
    /// @param publisher The wallet that publishes roots now.
    event PublisherSet(uint256 indexed poolId, address indexed publisher);

    /// @notice Emitted when a pool's admin appoints a challenger.
    /// @param poolId The pool.
    /// @param challenger The wallet that may veto pending roots now.
    event ChallengerSet(uint256 indexed poolId, address indexed challenger);

    /// @notice Emitted when a pool is funded, with the pool's funded total it leaves.
    /// @param poolId The pool.
    /// @param funder The wallet that paid.
    /// @param amountReceived What the contract received, in the token's smallest unit (measured, fee-on-transfer safe).
    /// @param fee The protocol fee taken from it, in the token's smallest unit.
    /// @param funded The pool's funded total now, net of fees, in the token's smallest unit.
    event EpochPoolFunded(
        uint256 indexed poolId,
        address indexed funder,
        uint256 amountReceived,
        uint256 fee,
        uint256 funded
    );

    /// @notice Emitted when a root is published, with its whole manifest and the pool's epochs it leaves.
    /// @param poolId The pool.
    /// @param epochId The new epoch's id; ids count up from 1 per pool.
    /// @param publisher The wallet that published.
    /// @param acceptableAt Unix time in seconds from which the root pays unless vetoed before.
    /// @param acceptedEpoch The pool's accepted epoch now: the previous pending epoch when its window had passed, the
    /// accepted epoch before otherwise. It equals `manifest.previousEpoch`.
    /// @param manifest The root and how it was computed.
    event EpochPublished(
        uint256 indexed poolId,
        uint32 indexed epochId,
        address indexed publisher,
        uint40 acceptableAt,
        uint32 acceptedEpoch,
        Epochs.Manifest manifest
    );

    /// @notice Emitted when the challenger vetoes a pending root: it never pays; the accepted epoch keeps paying.
    /// @param poolId The pool.
    /// @param epochId The vetoed epoch.
    /// @param challenger The wallet that vetoed.
    /// @param acceptedEpoch The epoch that keeps paying (zero when none).
    /// @param reason Why, in words a person reads.
    event EpochVetoed(
        uint256 indexed poolId,
        uint32 indexed epochId,
        address indexed challenger,
        uint32 acceptedEpoch,
        string reason
    );

    /// @notice Emitted for each (pool, contribution) claimed, with what it leaves.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param author The registered author the royalties belong to.
    /// @param epochId The epoch proven against.
    /// @param recipient The wallet paid (see {PayoutDeferred} when that transfer failed).
    /// @param amount The amount claimed now, in the token's smallest unit.
    /// @param claimed The contribution's cumulative amount claimed now (its leaf's), in the token's smallest unit.
    /// @param poolClaimed The pool's claims now, in the token's smallest unit.
    event EpochClaimed(
        uint256 indexed poolId,
        bytes32 indexed contributionId,
        address indexed author,
        uint32 epochId,
        address recipient,
        uint256 amount,
        uint256 claimed,
        uint256 poolClaimed
    );

    /// @notice Emitted when a pool's admin confirms a contribution's registered record (see {confirmAuthor}).
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param author The record's author at confirmation.
    /// @param registeredAt The record's date: the record confirmed.
    /// @param admin The admin that confirmed.
    event AuthorConfirmed(
        uint256 indexed poolId,
        bytes32 indexed contributionId,
        address indexed author,
        uint40 registeredAt,
        address admin
    );

    /// @notice Emitted when a pool's admin takes back what is unclaimed; the pool is closed from now on.
    /// @param poolId The pool.
    /// @param admin The admin.
    /// @param to The wallet paid.
    /// @param amount What was unclaimed, in the token's smallest unit; the pool's funded total is now its claims.
    event UnclaimedReclaimed(uint256 indexed poolId, address indexed admin, address to, uint256 amount);

    /// @notice Emitted when the vault's fee recipient collects the protocol fees this contract took in a token.
    /// @param token The token; the zero address means ETH.
    /// @param feeRecipient The fee recipient.
    /// @param to The wallet paid.
    /// @param amount The amount, in the token's smallest unit.
    event FeesCollected(address indexed token, address indexed feeRecipient, address to, uint256 amount);

    /*//////////////////////////////////////////////////////////////////////////
                                 CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice The shortest challenge window a pool may have, in seconds (1 hour).
    function MIN_CHALLENGE_WINDOW() external view returns (uint256);

    /// @notice The longest challenge window a pool may have, in seconds (30 days).
    function MAX_CHALLENGE_WINDOW() external view returns (uint256);

    /// @notice The shortest non-zero reclaim delay, in seconds (90 days): longer than any challenge window.
    function MIN_RECLAIM_DELAY() external view returns (uint256);

    /// @notice The longest reclaim delay, in seconds (10 years).
    function MAX_RECLAIM_DELAY() external view returns (uint256);

    /// @notice The hard cap of the protocol fee, in basis points (500, as the vault's): applied even if the vault
    /// reported more.
    function MAX_FEE_BPS() external view returns (uint256);

    /// @notice The most items one claim batch may carry.
    function MAX_BATCH_SIZE() external view returns (uint256);

    /// @notice The authorship registry whose authors claim.
    function REGISTRY() external view returns (IAuthorshipRegistry);

    /// @notice The royalty vault whose protocol fee and pause this contract follows, and whose pools {claimAll}
    /// claims alongside epochs.
    function VAULT() external view returns (IRoyaltyVault);

    /// @notice The number of epoch pools created; pool ids run from 1 to this.
    function poolCount() external view returns (uint256);

    /// @notice A pool's state as of the current block.
    /// @param poolId The pool.
    function getPool(uint256 poolId) external view returns (Epochs.PoolState memory state);

    /// @notice The epoch claims of a pool prove against now: the pending epoch once its window passed unvetoed, the
    /// accepted epoch otherwise; zero when none.
    /// @param poolId The pool.
    function payableEpoch(uint256 poolId) external view returns (uint32 epochId);

    /// @notice An epoch's stored root, publication time and where it stands now.
    /// @param poolId The pool.
    /// @param epochId The epoch.
    /// @return root The epoch's root (zero when there is no such epoch).
    /// @return publishedAt Unix time in seconds of its publication.
    /// @return status Where it stands now.
    function epochOf(
        uint256 poolId,
        uint32 epochId
    ) external view returns (bytes32 root, uint40 publishedAt, Epochs.Status status);

    /// @notice What a contribution has been paid from a pool, and the record date its admin confirmed.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    function positionOf(uint256 poolId, bytes32 contributionId) external view returns (Epochs.Position memory);

    /// @notice The double-hashed leaf of (this chain, this contract, `poolId`, `contributionId`, `cumulativeAmount`,
    /// `firstEpoch`), as StandardMerkleTree computes it.
    function leafOf(
        uint256 poolId,
        bytes32 contributionId,
        uint256 cumulativeAmount,
        uint32 firstEpoch
    ) external view returns (bytes32 leaf);

    /// @notice What a claim of `claim_` would pay now, in the token's smallest unit: zero when its proof does not
    /// hold against the payable epoch or nothing is owed. Ignores who calls and the escrow rule ({canClaim}).
    /// @param claim_ The leaf, its epoch and its proof.
    function claimable(Epochs.Claim calldata claim_) external view returns (uint256 amount);

    /// @notice Whether the contribution's registered author may claim from the pool under the escrow rule, for a leaf
    /// whose first epoch is `firstEpoch`: a record dated strictly before that epoch's publication, or the record the
    /// pool's admin confirmed. False when unregistered.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param firstEpoch The leaf's first epoch.
    function canClaim(uint256 poolId, bytes32 contributionId, uint32 firstEpoch) external view returns (bool);

    /// @notice A token's totals over every epoch pool of the token: deferred payouts and protocol fees owed, in the
    /// token's smallest unit.
    /// @param token The token; the zero address means ETH.
    function tokenTotals(address token) external view returns (uint256 deferredOwed, uint256 feesOwed);

    /*//////////////////////////////////////////////////////////////////////////
                               NON-CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Creates an epoch pool. Anyone may; the pool belongs to `params.admin`.
    /// @dev Emits {EpochPoolCreated}. Reverts with {Errors.AttributionEpochs_ZeroRole},
    /// {Errors.AttributionEpochs_InvalidChallengeWindow}, {Errors.AttributionEpochs_InvalidReclaimDelay} or
    /// {Errors.AttributionEpochs_TokenNotContract}.
    /// @param params The pool's token, roles, window and unclaimed-funds policy (see {Epochs.PoolParams}).
    /// @return poolId The new pool's id.
    function createPool(Epochs.PoolParams calldata params) external returns (uint256 poolId);

    /// @notice Appoints the wallet that publishes roots. Only the pool's admin.
    /// @dev Emits {PublisherSet}. Zero is refused.
    /// @param poolId The pool.
    /// @param publisher The wallet.
    function setPublisher(uint256 poolId, address publisher) external;

    /// @notice Appoints the wallet that may veto pending roots. Only the pool's admin, and not while a root is in its
    /// window: an admin cannot remove the challenger of a root already published.
    /// @dev Emits {ChallengerSet}. Zero is refused.
    /// @param poolId The pool.
    /// @param challenger The wallet.
    function setChallenger(uint256 poolId, address challenger) external;

    /// @notice Pays into a pool. Anyone may. What arrives, net of the vault's protocol fee, is what roots may
    /// attribute.
    /// @dev Emits {EpochPoolFunded}. For an ETH pool send `amount` as value; for an ERC-20 pool approve this contract
    /// first and send no value. Reverts while the vault is paused.
    /// @param poolId The pool.
    /// @param amount What to pay, in the token's smallest unit.
    /// @return received What the contract received, in the token's smallest unit.
    function fund(uint256 poolId, uint256 amount) external payable returns (uint256 received);

    /// @notice Publishes an epoch's root and manifest. Only the pool's publisher. The root pays once its challenge
    /// window has passed unvetoed. Refused while another root is in its window (a publication never resets or
    /// extends it); a pending root whose window has passed is recorded as accepted first.
    /// @dev Emits {EpochPublished}. Reverts with {Errors.AttributionEpochs_RootPending},
    /// {Errors.AttributionEpochs_PreviousEpochMismatch} (the manifest must extend the accepted epoch),
    /// {Errors.AttributionEpochs_TotalDecreased} or {Errors.AttributionEpochs_Underfunded}.
    /// @param poolId The pool.
    /// @param manifest The root and how it was computed.
    /// @return epochId The new epoch's id.
    function publish(uint256 poolId, Epochs.Manifest calldata manifest) external returns (uint32 epochId);

    /// @notice Vetoes a root in its challenge window: it never pays, and the accepted epoch keeps paying. Only the
    /// pool's challenger.
    /// @dev Emits {EpochVetoed}.
    /// @param poolId The pool.
    /// @param epochId The pending epoch.
    /// @param reason Why, in words a person reads; emitted.
    function veto(uint256 poolId, uint32 epochId, string calldata reason) external;

    /// @notice Confirms, as a pool's admin, that a contribution's registered record is its true author's, so that it
    /// can claim although the record is dated after the publication of its leaf's first epoch. The confirmation names
    /// the record by its date: a transfer of authorship keeps it, a supersession by another record does not.
    /// @dev Emits {AuthorConfirmed}.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param author The wallet the admin checked; must be the registered author now.
    function confirmAuthor(uint256 poolId, bytes32 contributionId, address author) external;

    /// @notice Claims a contribution's royalties from a pool, as its registered author, paid to `to`:
    /// `claim_.cumulativeAmount` minus what it was already paid.
    /// @dev Emits {EpochClaimed}, and {PayoutDeferred} if the transfer fails (the amount then waits for the author).
    /// @param claim_ The leaf, the epoch it proves against (the payable one) and its proof.
    /// @param to The wallet to pay.
    /// @return amount What was claimed, in the token's smallest unit.
    function claim(Epochs.Claim calldata claim_, address to) external returns (uint256 amount);

    /// @notice Claims many contributions across many pools, as their registered author, paid to `to`. Consecutive
    /// claims of one pool share one transfer.
    /// @dev Emits {EpochClaimed} per claim. Every claim must owe something.
    /// @param claims The claims.
    /// @param to The wallet to pay.
    /// @return total The sum claimed, over tokens as given.
    function claimBatch(Epochs.Claim[] calldata claims, address to) external returns (uint256 total);

    /// @notice Claims contributions for their registered authors and pays each author: a keeper's call. Anyone may.
    /// @dev Emits {EpochClaimed} per claim; consecutive claims of one pool and one author share one transfer. A
    /// failing author only gets a deferred payout.
    /// @param claims The claims.
    function claimFor(Epochs.Claim[] calldata claims) external;

    /// @notice Claims everything owed in one transaction: epoch claims as the caller's (as {claimBatch}, paid to
    /// `to`), then the vault's pools through its permissionless {IRoyaltyVault.claimFor}, which pays each
    /// contribution's registered author (the caller, for the caller's contributions). Either part may be empty.
    /// @dev Emits this contract's {EpochClaimed} and the vault's {IRoyaltyVault.RoyaltiesClaimed} events.
    /// @param claims The epoch claims.
    /// @param to The wallet the epoch claims pay.
    /// @param vaultPoolIds The vault's pools.
    /// @param vaultContributionIds Per vault pool, the contributions to claim.
    /// @return total The sum of the epoch claims, over tokens as given.
    function claimAll(
        Epochs.Claim[] calldata claims,
        address to,
        uint256[] calldata vaultPoolIds,
        bytes32[][] calldata vaultContributionIds
    ) external returns (uint256 total);

    /// @notice Takes back what is unclaimed in a pool, as its admin, once the pool's reclaim delay has passed since
    /// its last publication (or its creation when none). Only under a pool created with a non-zero delay. Closes the
    /// pool for good: no funding, publication or claim afterwards.
    /// @dev Emits {UnclaimedReclaimed}. Reverts if the transfer fails.
    /// @param poolId The pool.
    /// @param to The wallet to pay.
    /// @return amount What was unclaimed, in the token's smallest unit.
    function reclaimUnclaimed(uint256 poolId, address to) external returns (uint256 amount);

    /// @notice Collects the protocol fees this contract took in a token. Only the vault's fee recipient.
    /// @dev Emits {FeesCollected}.
    /// @param token The token; the zero address means ETH.
    /// @param to The wallet to pay.
    function collectFees(address token, address to) external;
}
