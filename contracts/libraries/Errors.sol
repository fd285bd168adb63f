// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Errors
/// @notice Every custom error of the protocol, named `Contract_Reason(offendingValues)`.
library Errors {
    /*//////////////////////////////////////////////////////////////////////////
                                AUTHORSHIP-REGISTRY
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Thrown when a contribution is registered with the zero hash, which identifies nothing.
    error AuthorshipRegistry_ZeroHash();

    /// @notice Thrown when a hash that already has an author is registered again; the first registration stands.
    /// @param contributionId The hash being registered.
    /// @param author The author already on record.
    error AuthorshipRegistry_AlreadyRegistered(bytes32 contributionId, address author);

    /// @notice Thrown when an operation needs a record that does not exist.
    /// @param contributionId The hash that has no record.
    error AuthorshipRegistry_NotRegistered(bytes32 contributionId);

    /// @notice Thrown when a contribution names a parent that is not registered.
    /// @param contributionId The hash being registered.
    /// @param parent The parent that has no record.
    error AuthorshipRegistry_UnknownParent(bytes32 contributionId, bytes32 parent);

    /// @notice Thrown when a batch holds no registration.
    error AuthorshipRegistry_EmptyBatch();

    /// @notice Thrown when a batch holds more registrations than one transaction may carry.
    /// @param size The number of registrations in the batch.
    /// @param maxSize The largest batch accepted.
    error AuthorshipRegistry_BatchTooLarge(uint256 size, uint256 maxSize);

    /// @notice Thrown when the zero commitment is committed, which hides nothing.
    error AuthorshipRegistry_ZeroCommitment();

    /// @notice Thrown when a caller commits a commitment of theirs that is still live.
    /// @param committer The caller.
    /// @param commitment The commitment already on record.
    /// @param committedAt Unix time in seconds at which it was committed.
    error AuthorshipRegistry_CommitmentExists(address committer, bytes32 commitment, uint40 committedAt);

    /// @notice Thrown when a reveal matches no commitment of the caller: wrong hash, wrong salt, or another caller.
    /// @param committer The caller, the only wallet a reveal can credit.
    /// @param commitment The commitment computed from the reveal's hash, the caller and the salt.
    error AuthorshipRegistry_UnknownCommitment(address committer, bytes32 commitment);

    /// @notice Thrown when a commitment is revealed before its minimum delay has passed.
    /// @param commitment The commitment being revealed.
    /// @param revealableAt Unix time in seconds from which it can be revealed.
    /// @param currentTime The current block's time, in seconds.
    error AuthorshipRegistry_RevealTooEarly(bytes32 commitment, uint256 revealableAt, uint256 currentTime);

    /// @notice Thrown when a commitment is revealed after its lifetime.
    /// @param commitment The commitment being revealed.
    /// @param expiredAt Unix time in seconds after which it can no longer be revealed.
    /// @param currentTime The current block's time, in seconds.
    error AuthorshipRegistry_CommitmentExpired(bytes32 commitment, uint256 expiredAt, uint256 currentTime);

    /// @notice Thrown when a signature is submitted after its deadline.
    /// @param deadline Unix time in seconds after which the signature is void.
    /// @param currentTime The current block's time, in seconds.
    error AuthorshipRegistry_SignatureExpired(uint256 deadline, uint256 currentTime);

    /// @notice Thrown when an ECDSA signature was not made by the expected author over this message, chain and
    /// contract (a signature for another chain or contract recovers another address).
    /// @param author The wallet that should have signed.
    /// @param recovered The address the signature recovers to; zero when it recovers to none.
    error AuthorshipRegistry_InvalidSigner(address author, address recovered);

    /// @notice Thrown when an ECDSA signature has its `s` value in the upper half of the curve order: the malleable
    /// twin of a valid signature, refused so that each signed message has one encoding.
    /// @param author The wallet that should have signed.
    /// @param s The signature's `s` value.
    error AuthorshipRegistry_MalleableSignature(address author, bytes32 s);

    /// @notice Thrown when a smart wallet does not answer ERC-1271's magic value for the message.
    /// @param wallet The smart wallet that should have approved the message.
    /// @param digest The EIP-712 digest submitted to it.
    error AuthorshipRegistry_InvalidWalletSignature(address wallet, bytes32 digest);

    /// @notice Thrown when a signed change names a nonce other than the record's current one.
    /// @param contributionId The record being changed.
    /// @param nonce The nonce in the signed message.
    /// @param expected The record's current nonce.
    error AuthorshipRegistry_InvalidNonce(bytes32 contributionId, uint40 nonce, uint40 expected);

    /// @notice Thrown when someone other than the author tries to change a record.
    /// @param contributionId The record being changed.
    /// @param caller The wallet that tried.
    /// @param author The author on record.
    error AuthorshipRegistry_NotAuthor(bytes32 contributionId, address caller, address author);

    /// @notice Thrown when someone other than the pending author accepts a transfer of authorship.
    /// @param contributionId The record being transferred.
    /// @param caller The wallet that tried.
    /// @param pendingAuthor The wallet the author named; zero when no transfer is pending.
    error AuthorshipRegistry_NotPendingAuthor(bytes32 contributionId, address caller, address pendingAuthor);

    /// @notice Thrown when an author starts a transfer of authorship to themself.
    /// @param contributionId The record being transferred.
    /// @param author The author on record.
    error AuthorshipRegistry_TransferToAuthor(bytes32 contributionId, address author);

    /// @notice Thrown when the owner approves or revokes the zero address as an attester.
    error AuthorshipRegistry_ZeroAttester();

    /// @notice Thrown when a wallet that is not an approved attester anchors a root.
    /// @param caller The wallet that tried.
    error AuthorshipRegistry_NotAttester(address caller);

    /// @notice Thrown when the zero root is anchored, which commits to nothing.
    error AuthorshipRegistry_ZeroRoot();

    /// @notice Thrown when a root that is already anchored is anchored again; the first anchor's date stands.
    /// @param root The root being anchored.
    /// @param attester The attester that anchored it first.
    /// @param anchoredAt Unix time in seconds of the first anchor.
    error AuthorshipRegistry_RootAlreadyAnchored(bytes32 root, address attester, uint40 anchoredAt);

    /// @notice Thrown when a leaf is submitted against a root that nobody anchored.
    /// @param root The root named by the submission.
    error AuthorshipRegistry_UnknownRoot(bytes32 root);

    /// @notice Thrown when a leaf is submitted against a root whose attester the owner has since revoked.
    /// @param root The root named by the submission.
    /// @param attester The revoked attester that anchored it.
    error AuthorshipRegistry_AttesterRevoked(bytes32 root, address attester);

    /// @notice Thrown when a Merkle proof does not lead from the leaf to the root.
    /// @param root The root named by the submission.
    /// @param leaf The double-hashed leaf computed from (contributionId, author, kind).
    error AuthorshipRegistry_InvalidProof(bytes32 root, bytes32 leaf);

    /// @notice Thrown when a `kind` is not an {Authorship.Kind}.
    /// @param kind The value given.
    error AuthorshipRegistry_InvalidKind(uint256 kind);

    /// @notice Thrown when older evidence would supersede a record that is final: older than the supersession window.
    /// @param contributionId The contribution's id.
    /// @param author The author of the final record.
    /// @param finalAt Unix time in seconds since which the record is final.
    error AuthorshipRegistry_RecordFinal(bytes32 contributionId, address author, uint256 finalAt);

    /// @notice Thrown when ownership would be proposed to the zero address; propose the current owner to cancel.
    error AuthorshipRegistry_ZeroOwner();

    /*//////////////////////////////////////////////////////////////////////////
                                   ROYALTY-VAULT
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Thrown when a pool is created, or handed over, with the zero address as admin.
    error RoyaltyVault_ZeroAdmin();

    /// @notice Thrown when a pool's stream duration is outside the accepted range.
    /// @param duration The duration given, in seconds.
    /// @param minDuration The shortest duration accepted, in seconds.
    /// @param maxDuration The longest duration accepted, in seconds.
    error RoyaltyVault_InvalidDuration(uint256 duration, uint256 minDuration, uint256 maxDuration);

    /// @notice Thrown when a pool is created for an ERC-20 address that holds no code.
    /// @param token The address given as the pool's token.
    error RoyaltyVault_TokenNotContract(address token);

    /// @notice Thrown when an operation names a pool that does not exist.
    /// @param poolId The pool named.
    error RoyaltyVault_PoolNotFound(uint256 poolId);

    /// @notice Thrown when someone other than the pool's admin calls an admin-only function.
    /// @param poolId The pool.
    /// @param caller The wallet that tried.
    /// @param admin The pool's admin.
    error RoyaltyVault_NotPoolAdmin(uint256 poolId, address caller, address admin);

    /// @notice Thrown when someone other than the pending admin accepts a pool.
    /// @param poolId The pool.
    /// @param caller The wallet that tried.
    /// @param pendingAdmin The wallet the admin named; zero when no hand-over is pending.
    error RoyaltyVault_NotPendingPoolAdmin(uint256 poolId, address caller, address pendingAdmin);

    /// @notice Thrown when someone other than the pool's admin or attributor sets units.
    /// @param poolId The pool.
    /// @param caller The wallet that tried.
    error RoyaltyVault_NotUnitSetter(uint256 poolId, address caller);

    /// @notice Thrown when a deposit or a unit change is made while the vault is paused.
    error RoyaltyVault_Paused();

    /// @notice Thrown when the owner pauses a paused vault or unpauses a running one.
    /// @param paused The state the vault is already in.
    error RoyaltyVault_PauseUnchanged(bool paused);

    /// @notice Thrown when a deposit of zero is made.
    /// @param poolId The pool.
    error RoyaltyVault_ZeroAmount(uint256 poolId);

    /// @notice Thrown when the ETH sent with a deposit differs from what the pool expects: the amount for an ETH
    /// pool, zero for an ERC-20 pool.
    /// @param poolId The pool.
    /// @param value The ETH sent, in wei.
    /// @param expected The ETH expected, in wei.
    error RoyaltyVault_EthValueMismatch(uint256 poolId, uint256 value, uint256 expected);

    /// @notice Thrown when an ERC-20 deposit leaves the vault's balance unchanged (a token that took it all as fee).
    /// @param poolId The pool.
    /// @param amount The amount the depositor sent, in the token's smallest unit.
    error RoyaltyVault_NothingReceived(uint256 poolId, uint256 amount);

    /// @notice Thrown when a deposit would make the pool's rate exceed its storage (more than ~8.7e31 token units
    /// per second): no real token's supply reaches it.
    /// @param poolId The pool.
    /// @param ratePerSecond The scaled rate the deposit would set.
    error RoyaltyVault_RateOverflow(uint256 poolId, uint256 ratePerSecond);

    /// @notice Thrown when a batch holds nothing.
    error RoyaltyVault_EmptyBatch();

    /// @notice Thrown when a batch holds more items than one transaction may carry.
    /// @param size The number of items.
    /// @param maxSize The largest batch accepted.
    error RoyaltyVault_BatchTooLarge(uint256 size, uint256 maxSize);

    /// @notice Thrown when two arrays that go together have different lengths.
    /// @param length The first array's length.
    /// @param otherLength The second array's length.
    error RoyaltyVault_LengthMismatch(uint256 length, uint256 otherLength);

    /// @notice Thrown when units are set for the zero contribution id, which identifies nothing.
    error RoyaltyVault_ZeroContribution();

    /// @notice Thrown when a contribution is given more units than a position holds.
    /// @param contributionId The contribution.
    /// @param units The units given.
    /// @param maxUnits The most units a contribution may hold.
    error RoyaltyVault_UnitsTooLarge(bytes32 contributionId, uint256 units, uint256 maxUnits);

    /// @notice Thrown when a unit change would take a pool's total units past their storage.
    /// @param poolId The pool.
    /// @param totalUnits The total the change would reach.
    error RoyaltyVault_TotalUnitsOverflow(uint256 poolId, uint256 totalUnits);

    /// @notice Thrown when units are given to a registered contribution whose author revoked training consent.
    /// @param contributionId The contribution.
    error RoyaltyVault_ConsentRevoked(bytes32 contributionId);

    /// @notice Thrown when a contribution is removed from a pool while its author consents, or before it is
    /// registered (an unregistered hash has no author who could have revoked consent).
    /// @param contributionId The contribution.
    error RoyaltyVault_ConsentNotRevoked(bytes32 contributionId);

    /// @notice Thrown when a contribution with no units in a pool is removed from it.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    error RoyaltyVault_NotInPool(uint256 poolId, bytes32 contributionId);

    /// @notice Thrown when royalties of a contribution nobody registered are claimed: they wait in escrow.
    /// @param contributionId The contribution.
    error RoyaltyVault_NotRegistered(bytes32 contributionId);

    /// @notice Thrown when someone other than a contribution's registered author claims its royalties.
    /// @param contributionId The contribution.
    /// @param caller The wallet that tried.
    /// @param author The registered author.
    error RoyaltyVault_NotAuthor(bytes32 contributionId, address caller, address author);

    /// @notice Thrown when a claim finds nothing owed: never a zero transfer.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    error RoyaltyVault_NothingToClaim(uint256 poolId, bytes32 contributionId);

    /// @notice Thrown when a payout is sent to the zero address.
    error RoyaltyVault_ZeroRecipient();

    /// @notice Thrown when the owner sets a protocol fee above the hard cap.
    /// @param feeBps The fee given, in basis points.
    /// @param maxFeeBps The cap, in basis points.
    error RoyaltyVault_FeeTooHigh(uint256 feeBps, uint256 maxFeeBps);

    /// @notice Thrown when a non-zero protocol fee is set without a recipient.
    error RoyaltyVault_ZeroFeeRecipient();

    /// @notice Thrown when someone other than the fee recipient collects protocol fees.
    /// @param caller The wallet that tried.
    /// @param feeRecipient The fee recipient.
    error RoyaltyVault_NotFeeRecipient(address caller, address feeRecipient);

    /// @notice Thrown when protocol fees of a token are collected while none are owed.
    /// @param token The token; the zero address means ETH.
    error RoyaltyVault_NoFees(address token);

    /// @notice Thrown when a claim of escrowed royalties comes from a record that is neither dated before the pool
    /// made the hash public nor confirmed by the pool's admin.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param author Its registered author.
    /// @param registeredAt The date of the author's record, in Unix seconds.
    /// @param exposedAt When the pool first gave the unregistered hash units, in Unix seconds.
    error RoyaltyVault_EscrowUnconfirmed(
        uint256 poolId,
        bytes32 contributionId,
        address author,
        uint40 registeredAt,
        uint40 exposedAt
    );

    /// @notice Thrown when a confirmation names a position that holds no escrow.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    error RoyaltyVault_NotEscrowed(uint256 poolId, bytes32 contributionId);

    /// @notice Thrown when a confirmation names a wallet that is not the contribution's registered author.
    /// @param contributionId The contribution.
    /// @param named The wallet named.
    /// @param author The registered author; zero when unregistered.
    error RoyaltyVault_AuthorMismatch(bytes32 contributionId, address named, address author);

    /// @notice Thrown when a deposit would let the pool's accumulator pass its 160-bit width.
    /// @param poolId The pool.
    /// @param amount The deposit net of the fee, in the token's smallest unit.
    /// @param room The most the pool can still take, in the token's smallest unit.
    error RoyaltyVault_AccumulatorOverflow(uint256 poolId, uint256 amount, uint256 room);

    /// @notice Thrown when the owner would renounce ownership while the vault is paused: nobody could resume it.
    error RoyaltyVault_RenounceWhilePaused();

    /// @notice Thrown when ownership would be proposed to the zero address; propose the current owner to cancel.
    error RoyaltyVault_ZeroOwner();

    /*//////////////////////////////////////////////////////////////////////////
                                 ATTRIBUTION-EPOCHS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Thrown when an epoch pool is created with the zero address as admin, publisher or challenger.
    /// @param role Which role is zero: "admin", "publisher" or "challenger".
    error AttributionEpochs_ZeroRole(bytes32 role);

    /// @notice Thrown when an epoch pool's challenge window is outside the accepted range.
    /// @param challengeWindow The window given, in seconds.
    /// @param minWindow The shortest window accepted, in seconds.
    /// @param maxWindow The longest window accepted, in seconds.
    error AttributionEpochs_InvalidChallengeWindow(uint256 challengeWindow, uint256 minWindow, uint256 maxWindow);

    /// @notice Thrown when an epoch pool's reclaim delay is neither zero (never) nor within the accepted range.
    /// @param reclaimDelay The delay given, in seconds.
    /// @param minDelay The shortest delay accepted, in seconds.
    /// @param maxDelay The longest delay accepted, in seconds.
    error AttributionEpochs_InvalidReclaimDelay(uint256 reclaimDelay, uint256 minDelay, uint256 maxDelay);

    /// @notice Thrown when an epoch pool is created for an ERC-20 address that holds no code.
    /// @param token The address given as the pool's token.
    error AttributionEpochs_TokenNotContract(address token);

    /// @notice Thrown when an operation names an epoch pool that does not exist.
    /// @param poolId The pool named.
    error AttributionEpochs_PoolNotFound(uint256 poolId);

    /// @notice Thrown when someone other than the pool's admin calls an admin-only function.
    /// @param poolId The pool.
    /// @param caller The wallet that tried.
    /// @param admin The pool's admin.
    error AttributionEpochs_NotPoolAdmin(uint256 poolId, address caller, address admin);

    /// @notice Thrown when someone other than the pool's publisher publishes a root.
    /// @param poolId The pool.
    /// @param caller The wallet that tried.
    /// @param publisher The pool's publisher.
    error AttributionEpochs_NotPublisher(uint256 poolId, address caller, address publisher);

    /// @notice Thrown when someone other than the pool's challenger vetoes a root.
    /// @param poolId The pool.
    /// @param caller The wallet that tried.
    /// @param challenger The pool's challenger.
    error AttributionEpochs_NotChallenger(uint256 poolId, address caller, address challenger);

    /// @notice Thrown when a pool whose admin reclaimed what was unclaimed is funded, published to or claimed from.
    /// @param poolId The pool.
    error AttributionEpochs_PoolClosed(uint256 poolId);

    /// @notice Thrown when funding is attempted while the vault's owner paused the protocol.
    error AttributionEpochs_Paused();

    /// @notice Thrown when a funding of zero is made.
    /// @param poolId The pool.
    error AttributionEpochs_ZeroAmount(uint256 poolId);

    /// @notice Thrown when the ETH sent with a funding differs from what the pool expects: the amount for an ETH pool,
    /// zero for an ERC-20 pool.
    /// @param poolId The pool.
    /// @param value The ETH sent, in wei.
    /// @param expected The ETH expected, in wei.
    error AttributionEpochs_EthValueMismatch(uint256 poolId, uint256 value, uint256 expected);

    /// @notice Thrown when an ERC-20 funding leaves the contract's balance unchanged.
    /// @param poolId The pool.
    /// @param amount The amount the funder sent, in the token's smallest unit.
    error AttributionEpochs_NothingReceived(uint256 poolId, uint256 amount);

    /// @notice Thrown when a funding would take a pool's funded total past 2^128 - 1 token units.
    /// @param poolId The pool.
    /// @param funded The total the funding would reach, in the token's smallest unit.
    error AttributionEpochs_FundingOverflow(uint256 poolId, uint256 funded);

    /// @notice Thrown when the zero root is published, which commits to nothing.
    /// @param poolId The pool.
    error AttributionEpochs_ZeroRoot(uint256 poolId);

    /// @notice Thrown when a root is published, or the challenger changed, while another root is in its challenge
    /// window: a publication never resets or extends a pending root's window.
    /// @param poolId The pool.
    /// @param pendingEpoch The epoch in its window.
    /// @param acceptableAt Unix time in seconds at which its window ends.
    error AttributionEpochs_RootPending(uint256 poolId, uint32 pendingEpoch, uint40 acceptableAt);

    /// @notice Thrown when a manifest names a previous epoch other than the pool's accepted epoch.
    /// @param poolId The pool.
    /// @param previousEpoch The previous epoch named.
    /// @param acceptedEpoch The pool's accepted epoch (zero when none).
    error AttributionEpochs_PreviousEpochMismatch(uint256 poolId, uint32 previousEpoch, uint32 acceptedEpoch);

    /// @notice Thrown when a root's total is below the accepted epoch's: cumulative totals never decrease.
    /// @param poolId The pool.
    /// @param total The total published, in the token's smallest unit.
    /// @param acceptedTotal The accepted epoch's total, in the token's smallest unit.
    error AttributionEpochs_TotalDecreased(uint256 poolId, uint256 total, uint256 acceptedTotal);

    /// @notice Thrown when a root's total exceeds what was funded into the pool, net of the protocol fee.
    /// @param poolId The pool.
    /// @param total The total published, in the token's smallest unit.
    /// @param funded What the pool was funded, net, in the token's smallest unit.
    error AttributionEpochs_Underfunded(uint256 poolId, uint256 total, uint256 funded);

    /// @notice Thrown when the pool has published more epochs than an epoch id holds (2^32 - 1).
    /// @param poolId The pool.
    error AttributionEpochs_TooManyEpochs(uint256 poolId);

    /// @notice Thrown when a veto names an epoch that is not in its challenge window.
    /// @param poolId The pool.
    /// @param epochId The epoch named.
    /// @param status Where it stands, as an {Epochs.Status}.
    error AttributionEpochs_NotPending(uint256 poolId, uint32 epochId, uint8 status);

    /// @notice Thrown when a claim proves against an epoch whose challenge window is still open.
    /// @param poolId The pool.
    /// @param epochId The epoch.
    /// @param acceptableAt Unix time in seconds at which it starts to pay.
    error AttributionEpochs_ChallengeWindowOpen(uint256 poolId, uint32 epochId, uint40 acceptableAt);

    /// @notice Thrown when a claim proves against a vetoed epoch: it never pays.
    /// @param poolId The pool.
    /// @param epochId The epoch.
    error AttributionEpochs_EpochVetoed(uint256 poolId, uint32 epochId);

    /// @notice Thrown when a claim proves against an epoch a later one replaced: prove against the payable epoch.
    /// @param poolId The pool.
    /// @param epochId The epoch named.
    /// @param payableEpoch The epoch that pays now.
    error AttributionEpochs_EpochSuperseded(uint256 poolId, uint32 epochId, uint32 payableEpoch);

    /// @notice Thrown when a claim names an epoch the pool never published.
    /// @param poolId The pool.
    /// @param epochId The epoch named.
    error AttributionEpochs_UnknownEpoch(uint256 poolId, uint32 epochId);

    /// @notice Thrown when a proof does not lead from the leaf to the epoch's root: a wrong proof, an amount or first
    /// epoch other than the leaf's, or a value that is no leaf (an internal node).
    /// @param poolId The pool.
    /// @param epochId The epoch.
    /// @param contributionId The contribution.
    /// @param leaf The double-hashed leaf computed from the claim's values.
    error AttributionEpochs_InvalidProof(uint256 poolId, uint32 epochId, bytes32 contributionId, bytes32 leaf);

    /// @notice Thrown when royalties of a contribution nobody registered are claimed: they wait.
    /// @param contributionId The contribution.
    error AttributionEpochs_NotRegistered(bytes32 contributionId);

    /// @notice Thrown when someone other than a contribution's registered author claims it as its author.
    /// @param contributionId The contribution.
    /// @param caller The wallet that tried.
    /// @param author The registered author.
    error AttributionEpochs_NotAuthor(bytes32 contributionId, address caller, address author);

    /// @notice Thrown when a claim's record is neither dated before the publication of the leaf's first epoch nor
    /// confirmed by the pool's admin.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param author Its registered author.
    /// @param registeredAt The date of the author's record, in Unix seconds.
    /// @param exposedAt The publication time of the leaf's first epoch, in Unix seconds (zero: not a published epoch).
    error AttributionEpochs_EscrowUnconfirmed(
        uint256 poolId,
        bytes32 contributionId,
        address author,
        uint40 registeredAt,
        uint40 exposedAt
    );

    /// @notice Thrown when a claim finds nothing owed: the leaf's cumulative amount is already claimed.
    /// @param poolId The pool.
    /// @param contributionId The contribution.
    /// @param claimed What the contribution was already paid, in the token's smallest unit.
    error AttributionEpochs_NothingToClaim(uint256 poolId, bytes32 contributionId, uint256 claimed);

    /// @notice Thrown when a claim would take the pool's claims past what was funded into it (a contribution claimed
    /// more under an earlier root than a later root gives it, and others claim the rest): pools stay isolated.
    /// @param poolId The pool.
    /// @param claimed The pool's claims the claim would reach, in the token's smallest unit.
    /// @param funded What the pool was funded, net, in the token's smallest unit.
    error AttributionEpochs_PoolOverdrawn(uint256 poolId, uint256 claimed, uint256 funded);

    /// @notice Thrown when a payout is sent to the zero address.
    error AttributionEpochs_ZeroRecipient();

    /// @notice Thrown when a claim batch holds nothing.
    error AttributionEpochs_EmptyBatch();

    /// @notice Thrown when a claim batch holds more items than one transaction may carry.
    /// @param size The number of items.
    /// @param maxSize The largest batch accepted.
    error AttributionEpochs_BatchTooLarge(uint256 size, uint256 maxSize);

    /// @notice Thrown when a confirmation names a wallet that is not the contribution's registered author.
    /// @param contributionId The contribution.
    /// @param named The wallet named.
    /// @param author The registered author; zero when unregistered.
    error AttributionEpochs_AuthorMismatch(bytes32 contributionId, address named, address author);

    /// @notice Thrown when a pool's admin reclaims under a pool whose policy is that nobody ever reclaims.
    /// @param poolId The pool.
    error AttributionEpochs_ReclaimDisabled(uint256 poolId);

    /// @notice Thrown when a pool's admin reclaims before the pool's reclaim delay has passed.
    /// @param poolId The pool.
    /// @param reclaimableAt Unix time in seconds from which the admin may reclaim.
    error AttributionEpochs_ReclaimTooEarly(uint256 poolId, uint256 reclaimableAt);

    /// @notice Thrown when someone other than the vault's fee recipient collects protocol fees.
    /// @param caller The wallet that tried.
    /// @param feeRecipient The vault's fee recipient.
    error AttributionEpochs_NotFeeRecipient(address caller, address feeRecipient);

    /// @notice Thrown when protocol fees of a token are collected while none are owed.
    /// @param token The token; the zero address means ETH.
    error AttributionEpochs_NoFees(address token);

    /*//////////////////////////////////////////////////////////////////////////
                                      PAYOUTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Thrown when a wallet withdraws deferred payouts of a token while none wait for it.
    /// @param account The wallet.
    /// @param token The token; the zero address means ETH.
    error Payouts_NoDeferred(address account, address token);

    /// @notice Thrown when an ETH transfer the caller asked for directly (fees, deferred payouts, reclaims) fails.
    /// @param to The address that refused the ETH.
    /// @param amount The amount, in wei.
    error Payouts_EthTransferFailed(address to, uint256 amount);

    /// @notice Thrown when an ERC-20 transfer the caller asked for directly (fees, deferred payouts, reclaims) fails.
    /// @param token The token.
    /// @param to The recipient.
    /// @param amount The amount, in the token's smallest unit.
    error Payouts_TokenTransferFailed(address token, address to, uint256 amount);

    /// @notice Thrown when an ETH payout is attempted with less gas left than its receiver is promised, so that no
    /// caller can starve a receiver into a deferred payout.
    /// @param gasLeft The gas left.
    /// @param gasNeeded The gas the payout needs.
    error Payouts_InsufficientGas(uint256 gasLeft, uint256 gasNeeded);
}
