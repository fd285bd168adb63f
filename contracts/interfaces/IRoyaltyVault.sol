// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import { IAuthorshipRegistry } from "./IAuthorshipRegistry.sol";
import { IPayouts } from "./IPayouts.sol";
import { Vault } from "../types/VaultTypes.sol";

/// @title IRoyaltyVault
/// @notice Streams model providers' revenue to the contributions that made their models better.
///
/// A pool holds one token (ETH or an ERC-20), an admin (the model provider), a stream duration and a metadata URI.
/// The admin, or an attributor it appoints, gives contributions (content hashes of the {IAuthorshipRegistry}) units.
/// Anyone deposits into a pool: what actually arrived, net of the protocol fee, plus what has not streamed yet,
/// streams linearly over the pool's duration to the pool's units through a per-unit accumulator, so every operation
/// costs the same for ten contributions or ten million. Royalties accrue to the contribution, not to a wallet: the
/// registered author at claim time claims them, and a hash nobody registered yet accrues in escrow: it pays only a
/// record dated before the pool made the hash public, or one the pool's admin confirms ({confirmAuthor}), so that
/// reading the hash in {UnitsSet} is worth nothing. A deposit never slows what is already streaming.
///
/// Accounting, per pool, in scaled units (token units x {SCALE}), exact at every block:
///   sum(deposits net of fee) * SCALE
///     == sum(claims) * SCALE + sum over contributions(owed, scaled) + notYetStreamed + carriedRemainder
/// and per token: sum(deposits) == sum(claims) + fees + that right-hand side, in token units up to the sub-unit
/// fractions that contributions carry (each below one token unit, never paid out early).
///
/// A contribution whose author revoked training consent stops accruing when anyone calls {removeContribution}; what it
/// accrued before stays claimable. Pausing stops deposits and unit changes; claims never stop. Attribution epochs
/// (Merkle roots per usage period) will credit the same positions in a later version.
interface IRoyaltyVault is IPayouts {
    /*//////////////////////////////////////////////////////////////////////////
                                       EVENTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Emitted when a pool is created.
    /// @param poolId The new pool's id; ids count up from 1.
    /// @param token The pool's token; the zero address means ETH.
    /// @param admin The pool's admin (the model provider).
    /// @param creator The wallet that created the pool.
    /// @param duration Seconds over which each deposit streams.
    /// @param metadataUri Where the pool's metadata lives; stored in this event only.
    event PoolCreated(
        uint256 indexed poolId,
        address indexed token,
        address indexed admin,
        address creator,
        uint40 duration,
        string metadataUri
    );

    /// @notice Emitted when a pool's admin names a wallet to take the pool over.
    /// @param poolId The pool.
    /// @param admin The current admin.
    /// @param pendingAdmin The wallet that may accept; zero cancels a pending hand-over.
    event PoolAdminTransferStarted(uint256 indexed poolId, address indexed admin, address indexed pendingAdmin);

    /// @notice Emitted when the named wallet accepts a pool.
    /// @param poolId The pool.
    /// @param previousAdmin The admin before.
    /// @param newAdmin The admin now.
    event PoolAdminTransferred(uint256 indexed poolId, address indexed previousAdmin, address indexed newAdmin);

    /// @notice Emitted when a pool's admin appoints or removes its attributor.
    /// @param poolId The pool.
    /// @param attributor The wallet that may set units besides the admin; zero means none.
    event AttributorSet(uint256 indexed poolId, address indexed attributor);

    /// @notice Emitted when revenue is deposited into a pool, with the pool's checkpoint it leaves (dated at this
    /// block): an indexer stores it as stated. What has not streamed yet and what arrived, `S` scaled, stream over
    /// `k = min(duration, S / previous rate)` seconds at `S / k` per second (the previous rate counts as zero once its
    /// stream ended), so the rate never goes down and the end never comes earlier; `S % k` joins the carried
    /// remainder.
    /// @param poolId The pool.
    /// @param depositor The wallet that paid.
    /// @param amountReceived What the vault received, in the token's smallest unit (measured, fee-on-transfer safe).
    /// @param fee The protocol fee taken from it, in the token's smallest unit; the rest streams.
    /// @param ratePerSecond The stream's rate now, scaled per second.
    /// @param streamEnd Unix time in seconds at which the stream now ends.
    /// @param accPerUnit The pool's accumulator at this block, scaled per unit.
    /// @param carriedRemainder The pool's carried remainder now, scaled.
    event RevenueDeposited(
        uint256 indexed poolId,
        address indexed depositor,
        uint256 amountReceived,
        uint256 fee,
        uint256 ratePerSecond,
        uint40 streamEnd,
        uint256 accPerUnit,
        uint256 carriedRemainder
    );

    /// @notice Emitted for each contribution whose units change, with the pool's checkpoint and the position it
    /// leaves. The pool's checkpoint is now; the rate is unchanged and the stream ends at `streamEnd`.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param caller The admin or attributor that set them (a Safe, a bot: whoever sent the call).
    /// @param previousUnits Its units before.
    /// @param units Its units now.
    /// @param totalUnits The pool's units now.
    /// @param accPerUnit The pool's accumulator at this block; the contribution's new snapshot.
    /// @param carriedRemainder The pool's carried remainder at this block, scaled.
    /// @param streamEnd Unix time in seconds at which the stream ends (moves while the pool had no units).
    /// @param accrued Whole token units the position accrued under earlier units and has not claimed, now.
    /// @param fraction The position's scaled sub-unit fraction now; its snapshot is `accPerUnit`.
    event UnitsSet(
        uint256 indexed poolId,
        bytes32 indexed contributionId,
        address indexed caller,
        uint256 previousUnits,
        uint256 units,
        uint256 totalUnits,
        uint256 accPerUnit,
        uint256 carriedRemainder,
        uint40 streamEnd,
        uint256 accrued,
        uint256 fraction
    );

    /// @notice Emitted right before the {UnitsSet} that first gives units to a hash nobody has registered: from now
    /// on the hash is public, and its royalties are escrowed (see {confirmAuthor}).
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param exposedAt Unix time in seconds; a record dated before it may claim without confirmation.
    event EscrowOpened(uint256 indexed poolId, bytes32 indexed contributionId, uint40 exposedAt);

    /// @notice Emitted when a pool's admin confirms the registered record of an escrowed contribution.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param author The record's author at confirmation.
    /// @param registeredAt The record's date: the record confirmed, which a transfer keeps and a supersession replaces.
    /// @param admin The admin that confirmed.
    event AuthorConfirmed(
        uint256 indexed poolId,
        bytes32 indexed contributionId,
        address indexed author,
        uint40 registeredAt,
        address admin
    );

    /// @notice Emitted when a contribution whose author revoked consent is removed from a pool; it keeps what it
    /// accrued. The pool's checkpoint is now (see {UnitsSet}).
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param caller The wallet that removed it.
    /// @param previousUnits Its units before; zero now.
    /// @param totalUnits The pool's units now.
    /// @param accPerUnit The pool's accumulator at this block.
    /// @param carriedRemainder The pool's carried remainder at this block, scaled.
    /// @param streamEnd Unix time in seconds at which the stream ends.
    /// @param accrued Whole token units the position accrued and has not claimed, now.
    /// @param fraction The position's scaled sub-unit fraction now.
    event ContributionRemoved(
        uint256 indexed poolId,
        bytes32 indexed contributionId,
        address indexed caller,
        uint256 previousUnits,
        uint256 totalUnits,
        uint256 accPerUnit,
        uint256 carriedRemainder,
        uint40 streamEnd,
        uint256 accrued,
        uint256 fraction
    );

    /// @notice Emitted for each (contribution, pool) claimed, with the position it leaves. The pool is not
    /// checkpointed by a claim: the contribution's snapshot becomes the accumulator computed for this block from the
    /// pool's last checkpoint, its accrued balance zero.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param author The registered author the royalties belong to.
    /// @param recipient The wallet paid (see {PayoutDeferred} when that transfer failed).
    /// @param amount The amount claimed, in the token's smallest unit.
    /// @param accPerUnit The position's snapshot now: the pool's accumulator at this block, scaled per unit.
    /// @param fraction The position's scaled sub-unit fraction now.
    event RoyaltiesClaimed(
        uint256 indexed poolId,
        bytes32 indexed contributionId,
        address indexed author,
        address recipient,
        uint256 amount,
        uint256 accPerUnit,
        uint256 fraction
    );

    /// @notice Emitted when the owner sets the protocol fee; it applies to later deposits.
    /// @param feeBps The fee, in basis points of each deposit.
    /// @param feeRecipient The wallet that collects fees.
    event ProtocolFeeSet(uint256 feeBps, address indexed feeRecipient);

    /// @notice Emitted when the fee recipient collects a token's protocol fees.
    /// @param token The token; the zero address means ETH.
    /// @param feeRecipient The fee recipient.
    /// @param to The wallet paid.
    /// @param amount The amount, in the token's smallest unit.
    event FeesCollected(address indexed token, address indexed feeRecipient, address to, uint256 amount);

    /// @notice Emitted when the owner pauses deposits and unit changes.
    /// @param account The owner.
    event Paused(address account);

    /// @notice Emitted when the owner resumes deposits and unit changes.
    /// @param account The owner.
    event Unpaused(address account);

    /*//////////////////////////////////////////////////////////////////////////
                                 CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice The fixed-point scale of every accumulator, rate and remainder: 1e9. Remainders carry forward
    /// exactly, so the scale only sets how fine they are: a pool with U units carries less than U / 1e9 token units.
    function SCALE() external view returns (uint256);

    /// @notice The hard cap of the protocol fee, in basis points: 500 (5%).
    function MAX_FEE_BPS() external view returns (uint256);

    /// @notice The shortest stream duration a pool may have, in seconds.
    function MIN_DURATION() external view returns (uint256);

    /// @notice The longest stream duration a pool may have, in seconds.
    function MAX_DURATION() external view returns (uint256);

    /// @notice The most items a unit batch, or a claim batch in total, may carry.
    function MAX_BATCH_SIZE() external view returns (uint256);

    /// @notice The most units one contribution may hold in a pool (2^48 - 1).
    function MAX_UNITS() external view returns (uint256);

    /// @notice The authorship registry whose authors claim.
    function REGISTRY() external view returns (IAuthorshipRegistry);

    /// @notice The number of pools created; pool ids run from 1 to this.
    function poolCount() external view returns (uint256);

    /// @notice A pool's state as of the current block.
    /// @param poolId The pool.
    function getPool(uint256 poolId) external view returns (Vault.PoolState memory state);

    /// @notice The wallet a pool's admin named to take it over; zero when none.
    /// @param poolId The pool.
    function pendingAdminOf(uint256 poolId) external view returns (address pendingAdmin);

    /// @notice A contribution's stored position in a pool (as of its last settlement, not of now).
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @return position The stored position.
    /// @return accrued Whole token units accrued under earlier units and not yet claimed.
    function positionOf(
        uint256 poolId,
        bytes32 contributionId
    ) external view returns (Vault.Position memory position, uint256 accrued);

    /// @notice The escrow of a contribution in a pool: when the pool made the unregistered hash public, and the date
    /// of the record its admin confirmed (zeros when the position is not escrowed).
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    function escrowOf(uint256 poolId, bytes32 contributionId) external view returns (Vault.Escrow memory escrow);

    /// @notice Whether the contribution's registered author may claim from the pool now under the escrow rule: true
    /// for a position that is not escrowed, or whose record is dated before the exposure or confirmed.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    function canClaim(uint256 poolId, bytes32 contributionId) external view returns (bool);

    /// @notice What a contribution can claim from a pool now, in the token's smallest unit.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    function claimable(uint256 poolId, bytes32 contributionId) external view returns (uint256 amount);

    /// @notice What a contribution is owed by a pool now, scaled: its claimable amount times SCALE plus the
    /// sub-unit fraction it carries.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    function owedScaled(uint256 poolId, bytes32 contributionId) external view returns (uint256 amount);

    /// @notice The pools of a token, in creation order.
    /// @param token The token; the zero address means ETH.
    function poolsOfToken(address token) external view returns (uint256[] memory poolIds);

    /// @notice A token's totals over its pools, as of the current block. Deposited and claimed sums are in the
    /// events ({RevenueDeposited}, {RoyaltiesClaimed}): storing them would add a storage write to every deposit and
    /// every claim.
    /// @param token The token; the zero address means ETH.
    function tokenTotals(address token) external view returns (Vault.TokenTotals memory totals);

    /// @notice The protocol's configuration: fee recipient, fee in basis points, whether paused.
    function config() external view returns (Vault.Config memory);

    /*//////////////////////////////////////////////////////////////////////////
                               NON-CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Creates a pool. Anyone may; the pool belongs to `admin`.
    /// @dev Emits {PoolCreated}. Reverts with {Errors.RoyaltyVault_ZeroAdmin}, {Errors.RoyaltyVault_InvalidDuration}
    /// or {Errors.RoyaltyVault_TokenNotContract}.
    /// @param token The pool's token; the zero address means ETH. Rebasing tokens are not supported.
    /// @param admin The pool's admin (the model provider).
    /// @param duration Seconds over which each deposit streams, between MIN_DURATION and MAX_DURATION.
    /// @param metadataUri Where the pool's metadata lives; emitted, never stored.
    /// @return poolId The new pool's id.
    function createPool(
        address token,
        address admin,
        uint40 duration,
        string calldata metadataUri
    ) external returns (uint256 poolId);

    /// @notice Names a wallet to take a pool over; it takes effect when that wallet calls {acceptPoolAdmin}.
    /// @dev Emits {PoolAdminTransferStarted}. Only the pool's admin. Zero cancels a pending hand-over.
    /// @param poolId The pool.
    /// @param newAdmin The wallet that may accept.
    function transferPoolAdmin(uint256 poolId, address newAdmin) external;

    /// @notice Takes over a pool the admin handed to the caller.
    /// @dev Emits {PoolAdminTransferred}. Only the pending admin. The attributor stays until the new admin changes it.
    /// @param poolId The pool.
    function acceptPoolAdmin(uint256 poolId) external;

    /// @notice Appoints a wallet that may set units besides the admin, or removes it with zero.
    /// @dev Emits {AttributorSet}. Only the pool's admin.
    /// @param poolId The pool.
    /// @param attributor The wallet; zero for none.
    function setAttributor(uint256 poolId, address attributor) external;

    /// @notice Pays revenue into a pool. What arrives, net of the protocol fee, plus what has not streamed yet,
    /// streams linearly from now, over the pool's duration or, when that would lower the rate, at the current rate
    /// over a shorter time: a deposit never slows what is already streaming.
    /// @dev Emits {RevenueDeposited}. For an ETH pool send `amount` as value; for an ERC-20 pool approve the vault
    /// first and send no value. Reverts when paused, and with {Errors.RoyaltyVault_AccumulatorOverflow} when the
    /// pool's accumulator could pass its width.
    /// @param poolId The pool.
    /// @param amount What to pay, in the token's smallest unit.
    /// @return received What the vault received, in the token's smallest unit.
    function deposit(uint256 poolId, uint256 amount) external payable returns (uint256 received);

    /// @notice Sets the units of contributions in a pool. A hash may be unregistered: its royalties wait in escrow
    /// for an author with a stronger claim than having read it here (see {confirmAuthor}). A registered contribution
    /// whose author revoked consent cannot be given units.
    /// @dev Emits {UnitsSet} per contribution, preceded by {EscrowOpened} when an unregistered hash first gets units.
    /// Only the pool's admin or attributor; reverts when paused.
    /// @param poolId The pool.
    /// @param contributionIds The contributions.
    /// @param units Their new units, each at most MAX_UNITS; zero removes a contribution's share (it keeps what it
    /// accrued).
    function setUnits(uint256 poolId, bytes32[] calldata contributionIds, uint256[] calldata units) external;

    /// @notice Stops a contribution whose author revoked training consent from accruing in a pool: anyone may call.
    /// Its units go to zero; what it accrued before stays claimable.
    /// @dev Emits {ContributionRemoved}. Works while paused: honouring a revocation moves no tokens.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    function removeContribution(uint256 poolId, bytes32 contributionId) external;

    /// @notice Confirms, as a pool's admin, that the registered record of an escrowed contribution is its true
    /// author's, so that its escrowed royalties can be claimed although the record is dated after the pool made the
    /// hash public. The confirmation names the record by its date: a transfer of authorship keeps it, a
    /// supersession by another record does not.
    /// @dev Emits {AuthorConfirmed}. Works while paused: it moves no tokens.
    /// @param poolId The pool.
    /// @param contributionId The escrowed contribution.
    /// @param author The wallet the admin checked; must be the registered author now.
    function confirmAuthor(uint256 poolId, bytes32 contributionId, address author) external;

    /// @notice Claims a contribution's royalties from a pool, as its registered author, paid to `to`.
    /// @dev Emits {RoyaltiesClaimed}, and {PayoutDeferred} if the transfer fails (the amount then waits for the
    /// author). Works while paused. An escrowed position pays only under the escrow rule ({canClaim}).
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param to The wallet to pay.
    /// @return amount What was claimed, in the token's smallest unit.
    function claim(uint256 poolId, bytes32 contributionId, address to) external returns (uint256 amount);

    /// @notice Claims many contributions across many pools, as their registered author, paid to `to`: one
    /// transfer per pool.
    /// @dev Emits {RoyaltiesClaimed} per (contribution, pool). Every item must owe something.
    /// @param poolIds The pools.
    /// @param contributionIds Per pool, the contributions to claim.
    /// @param to The wallet to pay.
    /// @return total The sum claimed, over tokens as given (one figure per call, for convenience).
    function claimBatch(
        uint256[] calldata poolIds,
        bytes32[][] calldata contributionIds,
        address to
    ) external returns (uint256 total);

    /// @notice Claims contributions for their registered authors and pays each author: a keeper's call. Anyone may.
    /// @dev Emits {RoyaltiesClaimed} per (contribution, pool); consecutive contributions of the same author in a pool
    /// share one transfer. A failing author only gets a deferred payout.
    /// @param poolIds The pools.
    /// @param contributionIds Per pool, the contributions to claim.
    function claimFor(uint256[] calldata poolIds, bytes32[][] calldata contributionIds) external;

    /// @notice Sets the protocol fee for later deposits. Only the owner.
    /// @dev Emits {ProtocolFeeSet}.
    /// @param feeBps The fee in basis points, at most MAX_FEE_BPS.
    /// @param feeRecipient The wallet that collects fees; non-zero when the fee is.
    function setProtocolFee(uint16 feeBps, address feeRecipient) external;

    /// @notice Collects a token's protocol fees. Only the fee recipient.
    /// @dev Emits {FeesCollected}.
    /// @param token The token; the zero address means ETH.
    /// @param to The wallet to pay.
    function collectFees(address token, address to) external;

    /// @notice Stops deposits and unit changes. Only the owner. Claims continue.
    function pause() external;

    /// @notice Resumes deposits and unit changes. Only the owner.
    function unpause() external;
}
