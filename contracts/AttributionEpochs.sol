// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { IERC20 } from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import { SafeERC20 } from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import { MerkleProof } from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import { Math } from "@openzeppelin/contracts/utils/math/Math.sol";

import { Payouts } from "./abstracts/Payouts.sol";
import { IAttributionEpochs } from "./interfaces/IAttributionEpochs.sol";
import { IAuthorshipRegistry } from "./interfaces/IAuthorshipRegistry.sol";
import { IPayouts } from "./interfaces/IPayouts.sol";
import { IRoyaltyVault } from "./interfaces/IRoyaltyVault.sol";
import { Errors } from "./libraries/Errors.sol";
import { Authorship } from "./types/DataTypes.sol";
import { Epochs } from "./types/EpochTypes.sol";
import { Vault } from "./types/VaultTypes.sol";

/// @title AttributionEpochs
/// @notice See the documentation in {IAttributionEpochs}.
contract AttributionEpochs is IAttributionEpochs, Payouts {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////////////////
                                     CONSTANTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAttributionEpochs
    uint256 public constant override MIN_CHALLENGE_WINDOW = 1 hours;

    /// @inheritdoc IAttributionEpochs
    uint256 public constant override MAX_CHALLENGE_WINDOW = 30 days;

    /// @inheritdoc IAttributionEpochs
    uint256 public constant override MIN_RECLAIM_DELAY = 90 days;

    /// @inheritdoc IAttributionEpochs
    uint256 public constant override MAX_RECLAIM_DELAY = 10 * 365 days;

    /// @inheritdoc IAttributionEpochs
    uint256 public constant override MAX_FEE_BPS = 500;

    /// @inheritdoc IAttributionEpochs
    uint256 public constant override MAX_BATCH_SIZE = 256;

    /// @dev Basis points in a whole.
    uint256 private constant _BPS = 10_000;

    /// @inheritdoc IAttributionEpochs
    IAuthorshipRegistry public immutable override REGISTRY;

    /// @inheritdoc IAttributionEpochs
    IRoyaltyVault public immutable override VAULT;

    /*//////////////////////////////////////////////////////////////////////////
                                      STORAGE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The number of epoch pools created; the last pool's id.
    uint256 internal _poolCount;

    /// @dev Six slots per pool (layout in {Epochs.Pool}); a claim reads one and writes one.
    mapping(uint256 poolId => Epochs.Pool pool) internal _pools;

    /// @dev One slot per epoch: its root.
    mapping(uint256 poolId => mapping(uint256 epochId => bytes32 root)) internal _roots;

    /// @dev Publication times, six uint40 per slot (layout in {Epochs.timeSlot}): a publication mostly updates a slot
    /// already written instead of filling a new one.
    mapping(uint256 poolId => mapping(uint256 index => uint256 word)) internal _publishedAt;

    /// @dev One bit per vetoed epoch, 256 per slot; read only by the views (a veto clears the pool's pending epoch).
    mapping(uint256 poolId => mapping(uint256 index => uint256 bits)) internal _vetoed;

    /// @dev One slot per (pool, contribution): what it was paid, and the record date its admin confirmed.
    mapping(uint256 poolId => mapping(bytes32 contributionId => Epochs.Position position)) internal _positions;

    /// @dev Protocol fees owed to the vault's fee recipient, per token, in the token's smallest unit.
    mapping(address token => uint256 amount) internal _feesOwed;

    /*//////////////////////////////////////////////////////////////////////////
                                    CONSTRUCTOR
    //////////////////////////////////////////////////////////////////////////*/

    /// @param registry The authorship registry whose authors claim.
    /// @param vault The royalty vault whose protocol fee and pause apply here, and whose pools {claimAll} claims.
    constructor(IAuthorshipRegistry registry, IRoyaltyVault vault) {
        REGISTRY = registry;
        VAULT = vault;
    }

    /*//////////////////////////////////////////////////////////////////////////
                                 CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAttributionEpochs
    function poolCount() external view override returns (uint256) {
        return _poolCount;
    }

    /// @inheritdoc IAttributionEpochs
    function getPool(uint256 poolId) external view override returns (Epochs.PoolState memory state) {
        Epochs.Pool storage pool = _existingPool(poolId);
        uint32 payable_ = _payableEpoch(poolId, pool);
        uint32 pending = pool.pendingEpoch;
        state = Epochs.PoolState({
            token: pool.token,
            admin: pool.admin,
            publisher: pool.publisher,
            challenger: pool.challenger,
            challengeWindow: pool.challengeWindow,
            reclaimDelay: pool.reclaimDelay,
            createdAt: pool.createdAt,
            closed: pool.closed,
            epochCount: pool.epochCount,
            payableEpoch: payable_,
            pendingEpoch: payable_ == pending ? 0 : pending,
            payableTotal: payable_ == 0 ? 0 : (payable_ == pending ? pool.pendingTotal : pool.acceptedTotal),
            funded: pool.funded,
            claimed: pool.claimed
        });
    }

    /// @inheritdoc IAttributionEpochs
    function payableEpoch(uint256 poolId) external view override returns (uint32 epochId) {
        epochId = _payableEpoch(poolId, _pools[poolId]);
    }

    /// @inheritdoc IAttributionEpochs
    function epochOf(
        uint256 poolId,
        uint32 epochId
    ) external view override returns (bytes32 root, uint40 publishedAt, Epochs.Status status) {
        Epochs.Pool storage pool = _pools[poolId];
        if (epochId == 0 || epochId > pool.epochCount) return (bytes32(0), 0, Epochs.Status.None);
        root = _roots[poolId][epochId];
        publishedAt = _publishedAtOf(poolId, epochId);
        status = _statusOf(poolId, pool, epochId);
    }

    /// @inheritdoc IAttributionEpochs
    function positionOf(
        uint256 poolId,
        bytes32 contributionId
    ) external view override returns (Epochs.Position memory) {
        return _positions[poolId][contributionId];
    }

    /// @inheritdoc IAttributionEpochs
    function leafOf(
        uint256 poolId,
        bytes32 contributionId,
        uint256 cumulativeAmount,
        uint32 firstEpoch
    ) public view override returns (bytes32 leaf) {
        leaf = keccak256(
            bytes.concat(
                keccak256(
                    abi.encode(block.chainid, address(this), poolId, contributionId, cumulativeAmount, firstEpoch)
                )
            )
        );
    }

    /// @inheritdoc IAttributionEpochs
    function claimable(Epochs.Claim calldata claim_) external view override returns (uint256 amount) {
        Epochs.Pool storage pool = _pools[claim_.poolId];
        uint32 epochId = claim_.epochId;
        if (epochId == 0 || epochId != _payableEpoch(claim_.poolId, pool) || pool.closed) return 0;
        bytes32 leaf = leafOf(claim_.poolId, claim_.contributionId, claim_.cumulativeAmount, claim_.firstEpoch);
        if (!MerkleProof.verifyCalldata(claim_.proof, _roots[claim_.poolId][epochId], leaf)) return 0;
        uint256 claimed = _positions[claim_.poolId][claim_.contributionId].claimed;
        if (claim_.cumulativeAmount <= claimed) return 0;
        amount = claim_.cumulativeAmount - claimed;
        // A claim beyond the pool's funding would revert: it pays nothing.
        if (pool.claimed + amount > pool.funded) return 0;
    }

    /// @inheritdoc IAttributionEpochs
    function canClaim(uint256 poolId, bytes32 contributionId, uint32 firstEpoch) external view override returns (bool) {
        Authorship.Record memory record = REGISTRY.getRecord(contributionId);
        if (record.author == address(0)) return false;
        return _escrowAllows(poolId, contributionId, firstEpoch, record.registeredAt);
    }

    /// @inheritdoc IAttributionEpochs
    function tokenTotals(address token) external view override returns (uint256 deferredOwed, uint256 feesOwed) {
        deferredOwed = _deferredTotal[token];
        feesOwed = _feesOwed[token];
    }

    /*//////////////////////////////////////////////////////////////////////////
                               NON-CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAttributionEpochs
    function createPool(Epochs.PoolParams calldata params) external override returns (uint256 poolId) {
        // Checks
        if (params.admin == address(0)) revert Errors.AttributionEpochs_ZeroRole("admin");
        if (params.publisher == address(0)) revert Errors.AttributionEpochs_ZeroRole("publisher");
        if (params.challenger == address(0)) revert Errors.AttributionEpochs_ZeroRole("challenger");
        if (params.challengeWindow < MIN_CHALLENGE_WINDOW || params.challengeWindow > MAX_CHALLENGE_WINDOW) {
            revert Errors.AttributionEpochs_InvalidChallengeWindow(
                params.challengeWindow,
                MIN_CHALLENGE_WINDOW,
                MAX_CHALLENGE_WINDOW
            );
        }
        if (
            params.reclaimDelay != 0 &&
            (params.reclaimDelay < MIN_RECLAIM_DELAY || params.reclaimDelay > MAX_RECLAIM_DELAY)
        ) {
            revert Errors.AttributionEpochs_InvalidReclaimDelay(
                params.reclaimDelay,
                MIN_RECLAIM_DELAY,
                MAX_RECLAIM_DELAY
            );
        }
        if (params.token != address(0) && params.token.code.length == 0) {
            revert Errors.AttributionEpochs_TokenNotContract(params.token);
        }

        // Effects
        // Cannot overflow: one pool per call.
        unchecked {
            poolId = ++_poolCount;
        }
        Epochs.Pool storage pool = _pools[poolId];
        pool.token = params.token;
        pool.admin = params.admin;
        // Cannot truncate: at most MAX_CHALLENGE_WINDOW, checked above.
        pool.challengeWindow = uint32(params.challengeWindow);
        pool.reclaimDelay = params.reclaimDelay;
        pool.publisher = params.publisher;
        pool.createdAt = uint40(block.timestamp);
        pool.challenger = params.challenger;
        emit EpochPoolCreated(
            poolId,
            params.token,
            params.admin,
            msg.sender,
            params.publisher,
            params.challenger,
            params.challengeWindow,
            params.reclaimDelay,
            params.metadataUri
        );
    }

    /// @inheritdoc IAttributionEpochs
    function setPublisher(uint256 poolId, address publisher) external override {
        // Checks
        Epochs.Pool storage pool = _checkAdmin(poolId);
        if (publisher == address(0)) revert Errors.AttributionEpochs_ZeroRole("publisher");

        // Effects
        pool.publisher = publisher;
        emit PublisherSet(poolId, publisher);
    }

    /// @inheritdoc IAttributionEpochs
    function setChallenger(uint256 poolId, address challenger) external override {
        // Checks
        Epochs.Pool storage pool = _checkAdmin(poolId);
        if (challenger == address(0)) revert Errors.AttributionEpochs_ZeroRole("challenger");
        uint32 pending = pool.pendingEpoch;
        if (pending != 0) {
            uint40 acceptableAt = _acceptableAt(poolId, pool, pending);
            if (block.timestamp < acceptableAt)
                revert Errors.AttributionEpochs_RootPending(poolId, pending, acceptableAt);
        }

        // Effects
        pool.challenger = challenger;
        emit ChallengerSet(poolId, challenger);
    }

    /// @inheritdoc IAttributionEpochs
    function fund(uint256 poolId, uint256 amount) external payable override nonReentrant returns (uint256 received) {
        // Checks
        Epochs.Pool storage pool = _existingPool(poolId);
        if (pool.closed) revert Errors.AttributionEpochs_PoolClosed(poolId);
        Vault.Config memory config = VAULT.config();
        if (config.paused) revert Errors.AttributionEpochs_Paused();
        if (amount == 0) revert Errors.AttributionEpochs_ZeroAmount(poolId);
        address token = pool.token;

        // Interactions (in): what is credited is what arrived, so the tokens move before the books do; the guard keeps
        // a token's callback from re-entering in between.
        if (token == address(0)) {
            if (msg.value != amount) revert Errors.AttributionEpochs_EthValueMismatch(poolId, msg.value, amount);
            received = amount;
        } else {
            if (msg.value != 0) revert Errors.AttributionEpochs_EthValueMismatch(poolId, msg.value, 0);
            uint256 balanceBefore = IERC20(token).balanceOf(address(this));
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
            received = IERC20(token).balanceOf(address(this)) - balanceBefore;
            if (received == 0) revert Errors.AttributionEpochs_NothingReceived(poolId, amount);
        }

        // Effects: the vault's fee rate, capped here too, so a fee above the cap can never be taken.
        uint256 fee = Math.mulDiv(received, Math.min(config.feeBps, MAX_FEE_BPS), _BPS);
        // Cannot underflow: the fee is at most 5% of what arrived.
        uint256 funded;
        unchecked {
            funded = pool.funded + (received - fee);
        }
        if (funded > type(uint128).max || funded < received - fee) {
            revert Errors.AttributionEpochs_FundingOverflow(poolId, funded);
        }
        if (fee != 0) _feesOwed[token] += fee;
        pool.funded = uint128(funded);
        emit EpochPoolFunded(poolId, msg.sender, received, fee, funded);
    }

    /// @inheritdoc IAttributionEpochs
    function publish(uint256 poolId, Epochs.Manifest calldata manifest) external override returns (uint32 epochId) {
        // Checks
        Epochs.Pool storage pool = _existingPool(poolId);
        if (msg.sender != pool.publisher)
            revert Errors.AttributionEpochs_NotPublisher(poolId, msg.sender, pool.publisher);
        if (pool.closed) revert Errors.AttributionEpochs_PoolClosed(poolId);
        if (manifest.root == bytes32(0)) revert Errors.AttributionEpochs_ZeroRoot(poolId);
        uint32 accepted = pool.acceptedEpoch;
        uint256 acceptedTotal = pool.acceptedTotal;
        uint32 pending = pool.pendingEpoch;
        if (pending != 0) {
            // The rule that keeps a root from being held back for ever: a pending root's window is never reset or
            // extended. While it is open nothing is published; once it has passed the root is accepted here.
            uint40 acceptableAt = _acceptableAt(poolId, pool, pending);
            if (block.timestamp < acceptableAt)
                revert Errors.AttributionEpochs_RootPending(poolId, pending, acceptableAt);
            accepted = pending;
            acceptedTotal = pool.pendingTotal;
        }
        if (manifest.previousEpoch != accepted) {
            revert Errors.AttributionEpochs_PreviousEpochMismatch(poolId, manifest.previousEpoch, accepted);
        }
        if (manifest.total < acceptedTotal) {
            revert Errors.AttributionEpochs_TotalDecreased(poolId, manifest.total, acceptedTotal);
        }
        if (manifest.total > pool.funded)
            revert Errors.AttributionEpochs_Underfunded(poolId, manifest.total, pool.funded);
        uint256 count = pool.epochCount;
        if (count == type(uint32).max) revert Errors.AttributionEpochs_TooManyEpochs(poolId);

        // Effects
        // Cannot overflow: checked above.
        unchecked {
            epochId = uint32(count + 1);
        }
        pool.acceptedEpoch = accepted;
        pool.pendingEpoch = epochId;
        pool.epochCount = epochId;
        // Cannot truncate: both totals are at most the funded total, a uint128.
        pool.acceptedTotal = uint128(acceptedTotal);
        pool.pendingTotal = uint128(manifest.total);
        _roots[poolId][epochId] = manifest.root;
        (uint256 index, uint256 offset) = Epochs.timeSlot(epochId);
        _publishedAt[poolId][index] |= block.timestamp << offset;
        emit EpochPublished(
            poolId,
            epochId,
            msg.sender,
            uint40(block.timestamp) + pool.challengeWindow,
            accepted,
            manifest
        );
    }

    /// @inheritdoc IAttributionEpochs
    function veto(uint256 poolId, uint32 epochId, string calldata reason) external override {
        // Checks
        Epochs.Pool storage pool = _existingPool(poolId);
        if (msg.sender != pool.challenger) {
            revert Errors.AttributionEpochs_NotChallenger(poolId, msg.sender, pool.challenger);
        }
        Epochs.Status status = _statusOf(poolId, pool, epochId);
        if (status != Epochs.Status.Pending) revert Errors.AttributionEpochs_NotPending(poolId, epochId, uint8(status));

        // Effects
        pool.pendingEpoch = 0;
        pool.pendingTotal = 0;
        _vetoed[poolId][epochId >> 8] |= uint256(1) << (epochId & 0xff);
        emit EpochVetoed(poolId, epochId, msg.sender, pool.acceptedEpoch, reason);
    }

    /// @inheritdoc IAttributionEpochs
    function confirmAuthor(uint256 poolId, bytes32 contributionId, address author) external override {
        // Checks
        _checkAdmin(poolId);
        Authorship.Record memory record = REGISTRY.getRecord(contributionId);
        if (author == address(0) || record.author != author) {
            revert Errors.AttributionEpochs_AuthorMismatch(contributionId, author, record.author);
        }

        // Effects
        _positions[poolId][contributionId].confirmedAt = record.registeredAt;
        emit AuthorConfirmed(poolId, contributionId, author, record.registeredAt, msg.sender);
    }

    /// @inheritdoc IAttributionEpochs
    function claim(Epochs.Claim calldata claim_, address to) external override nonReentrant returns (uint256 amount) {
        // Checks
        if (to == address(0)) revert Errors.AttributionEpochs_ZeroRecipient();

        // Effects
        (uint256 claimed, address author, address token) = _settle(claim_, to);
        amount = claimed;

        // Interactions: a failed transfer waits for the author, who can withdraw it anywhere.
        if (!_pay(token, to, amount)) _defer(claim_.poolId, claim_.contributionId, author, token, to, amount);
    }

    /// @inheritdoc IAttributionEpochs
    function claimBatch(
        Epochs.Claim[] calldata claims,
        address to
    ) external override nonReentrant returns (uint256 total) {
        if (to == address(0)) revert Errors.AttributionEpochs_ZeroRecipient();
        total = _claimMany(claims, to);
    }

    /// @inheritdoc IAttributionEpochs
    function claimFor(Epochs.Claim[] calldata claims) external override nonReentrant {
        _claimMany(claims, address(0));
    }

    /// @inheritdoc IAttributionEpochs
    function claimAll(
        Epochs.Claim[] calldata claims,
        address to,
        uint256[] calldata vaultPoolIds,
        bytes32[][] calldata vaultContributionIds
    ) external override nonReentrant returns (uint256 total) {
        // Checks
        if (claims.length == 0 && vaultPoolIds.length == 0) revert Errors.AttributionEpochs_EmptyBatch();
        if (claims.length != 0) {
            if (to == address(0)) revert Errors.AttributionEpochs_ZeroRecipient();
            total = _claimMany(claims, to);
        }

        // Interactions: the vault checks its own part and pays each contribution's registered author; any of its
        // errors reverts the whole call, so nothing is claimed half.
        if (vaultPoolIds.length != 0) VAULT.claimFor(vaultPoolIds, vaultContributionIds);
    }

    /// @inheritdoc IPayouts
    function withdrawDeferred(address token, address to) external override nonReentrant {
        if (to == address(0)) revert Errors.AttributionEpochs_ZeroRecipient();
        _withdrawDeferred(token, to);
    }

    /// @inheritdoc IAttributionEpochs
    function reclaimUnclaimed(uint256 poolId, address to) external override nonReentrant returns (uint256 amount) {
        // Checks
        Epochs.Pool storage pool = _checkAdmin(poolId);
        if (to == address(0)) revert Errors.AttributionEpochs_ZeroRecipient();
        uint256 delay = pool.reclaimDelay;
        if (delay == 0) revert Errors.AttributionEpochs_ReclaimDisabled(poolId);
        if (pool.closed) revert Errors.AttributionEpochs_PoolClosed(poolId);
        uint256 count = pool.epochCount;
        uint256 last = count == 0 ? pool.createdAt : _publishedAtOf(poolId, count);
        if (block.timestamp < last + delay) revert Errors.AttributionEpochs_ReclaimTooEarly(poolId, last + delay);

        // Effects
        uint256 claimed = pool.claimed;
        // Cannot underflow: claims never pass the funded total.
        unchecked {
            amount = pool.funded - claimed;
        }
        // Cannot truncate: read from a uint128.
        pool.funded = uint128(claimed);
        pool.closed = true;
        emit UnclaimedReclaimed(poolId, msg.sender, to, amount);

        // Interactions
        if (amount != 0) _payStrict(pool.token, to, amount);
    }

    /// @inheritdoc IAttributionEpochs
    function collectFees(address token, address to) external override nonReentrant {
        // Checks
        address feeRecipient = VAULT.config().feeRecipient;
        if (msg.sender != feeRecipient || feeRecipient == address(0)) {
            revert Errors.AttributionEpochs_NotFeeRecipient(msg.sender, feeRecipient);
        }
        if (to == address(0)) revert Errors.AttributionEpochs_ZeroRecipient();
        uint256 amount = _feesOwed[token];
        if (amount == 0) revert Errors.AttributionEpochs_NoFees(token);

        // Effects
        delete _feesOwed[token];
        emit FeesCollected(token, feeRecipient, to, amount);

        // Interactions
        _payStrict(token, to, amount);
    }

    /*//////////////////////////////////////////////////////////////////////////
                             PRIVATE CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The pool, or a revert if it does not exist (its admin is never zero).
    function _existingPool(uint256 poolId) private view returns (Epochs.Pool storage pool) {
        pool = _pools[poolId];
        if (pool.admin == address(0)) revert Errors.AttributionEpochs_PoolNotFound(poolId);
    }

    /// @dev Reverts unless the caller is the pool's admin; returns the pool.
    function _checkAdmin(uint256 poolId) private view returns (Epochs.Pool storage pool) {
        pool = _existingPool(poolId);
        if (msg.sender != pool.admin) revert Errors.AttributionEpochs_NotPoolAdmin(poolId, msg.sender, pool.admin);
    }

    /// @dev The publication time of an epoch of the pool; zero for an epoch never published.
    function _publishedAtOf(uint256 poolId, uint256 epochId) private view returns (uint40) {
        if (epochId == 0) return 0;
        (uint256 index, uint256 offset) = Epochs.timeSlot(epochId);
        return uint40(_publishedAt[poolId][index] >> offset);
    }

    /// @dev When a published epoch starts to pay.
    function _acceptableAt(uint256 poolId, Epochs.Pool storage pool, uint32 epochId) private view returns (uint40) {
        return _publishedAtOf(poolId, epochId) + pool.challengeWindow;
    }

    /// @dev The epoch claims prove against now (see {payableEpoch}).
    function _payableEpoch(uint256 poolId, Epochs.Pool storage pool) private view returns (uint32 epochId) {
        epochId = pool.acceptedEpoch;
        uint32 pending = pool.pendingEpoch;
        if (pending != 0 && block.timestamp >= _acceptableAt(poolId, pool, pending)) epochId = pending;
    }

    /// @dev Where an epoch of the pool stands now.
    function _statusOf(uint256 poolId, Epochs.Pool storage pool, uint32 epochId) private view returns (Epochs.Status) {
        if (epochId == 0 || epochId > pool.epochCount) return Epochs.Status.None;
        if ((_vetoed[poolId][epochId >> 8] >> (epochId & 0xff)) & 1 != 0) return Epochs.Status.Vetoed;
        uint32 payable_ = _payableEpoch(poolId, pool);
        if (epochId == payable_) return Epochs.Status.Payable;
        if (epochId == pool.pendingEpoch) return Epochs.Status.Pending;
        return Epochs.Status.Superseded;
    }

    /// @dev Reverts with the error that says why a claim may not prove against `epochId`.
    function _revertEpoch(uint256 poolId, Epochs.Pool storage pool, uint32 epochId) private view {
        if (pool.admin == address(0)) revert Errors.AttributionEpochs_PoolNotFound(poolId);
        Epochs.Status status = _statusOf(poolId, pool, epochId);
        if (status == Epochs.Status.None) revert Errors.AttributionEpochs_UnknownEpoch(poolId, epochId);
        if (status == Epochs.Status.Vetoed) revert Errors.AttributionEpochs_EpochVetoed(poolId, epochId);
        if (status == Epochs.Status.Pending) {
            revert Errors.AttributionEpochs_ChallengeWindowOpen(poolId, epochId, _acceptableAt(poolId, pool, epochId));
        }
        revert Errors.AttributionEpochs_EpochSuperseded(poolId, epochId, _payableEpoch(poolId, pool));
    }

    /// @dev The escrow rule: a record dated strictly before the publication of the leaf's first epoch (evidence made
    /// while no leaf file of the pool had named the hash), or the very record the admin confirmed.
    function _escrowAllows(
        uint256 poolId,
        bytes32 contributionId,
        uint32 firstEpoch,
        uint40 registeredAt
    ) private view returns (bool) {
        if (registeredAt < _publishedAtOf(poolId, firstEpoch)) return true;
        uint40 confirmedAt = _positions[poolId][contributionId].confirmedAt;
        return confirmedAt != 0 && registeredAt == confirmedAt;
    }

    /// @dev Reverts unless the escrow rule lets `author`'s record, dated `registeredAt`, claim.
    function _checkEscrow(
        uint256 poolId,
        bytes32 contributionId,
        uint32 firstEpoch,
        address author,
        uint40 registeredAt
    ) private view {
        if (!_escrowAllows(poolId, contributionId, firstEpoch, registeredAt)) {
            revert Errors.AttributionEpochs_EscrowUnconfirmed(
                poolId,
                contributionId,
                author,
                registeredAt,
                _publishedAtOf(poolId, firstEpoch)
            );
        }
    }

    /*//////////////////////////////////////////////////////////////////////////
                           PRIVATE NON-CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Checks one claim and books it. `to` is the recipient of an author's claim, whose caller must be the
    /// registered author; zero for a keeper's claim, which pays the author. Returns the amount, the author and the
    /// pool's token.
    function _settle(
        Epochs.Claim calldata claim_,
        address to
    ) private returns (uint256 amount, address author, address token) {
        // Checks
        (amount, author) = _checkClaim(claim_, to);

        // Effects
        uint256 poolClaimed;
        (token, poolClaimed) = _book(claim_.poolId, claim_.contributionId, claim_.cumulativeAmount, amount);
        emit EpochClaimed(
            claim_.poolId,
            claim_.contributionId,
            author,
            claim_.epochId,
            to == address(0) ? author : to,
            amount,
            claim_.cumulativeAmount,
            poolClaimed
        );
    }

    /// @dev Reverts unless the claim may be paid now: its epoch pays, its leaf is in the epoch's root, its hash is
    /// registered (to its caller when `to` is not zero), the escrow rule allows the record, and something is owed.
    /// Returns what is owed and the author.
    function _checkClaim(
        Epochs.Claim calldata claim_,
        address to
    ) private view returns (uint256 amount, address author) {
        uint256 poolId = claim_.poolId;
        bytes32 contributionId = claim_.contributionId;
        {
            Epochs.Pool storage pool = _pools[poolId];
            uint32 epochId = claim_.epochId;
            if (epochId == 0 || epochId != _payableEpoch(poolId, pool)) _revertEpoch(poolId, pool, epochId);
            bytes32 leaf = leafOf(poolId, contributionId, claim_.cumulativeAmount, claim_.firstEpoch);
            if (!MerkleProof.verifyCalldata(claim_.proof, _roots[poolId][epochId], leaf)) {
                revert Errors.AttributionEpochs_InvalidProof(poolId, epochId, contributionId, leaf);
            }
        }
        Authorship.Record memory record = REGISTRY.getRecord(contributionId);
        author = record.author;
        if (author == address(0)) revert Errors.AttributionEpochs_NotRegistered(contributionId);
        if (to != address(0) && msg.sender != author) {
            revert Errors.AttributionEpochs_NotAuthor(contributionId, msg.sender, author);
        }
        uint256 claimed = _positions[poolId][contributionId].claimed;
        if (claim_.cumulativeAmount <= claimed) {
            revert Errors.AttributionEpochs_NothingToClaim(poolId, contributionId, claimed);
        }
        _checkEscrow(poolId, contributionId, claim_.firstEpoch, author, record.registeredAt);
        // Cannot underflow: checked above.
        unchecked {
            amount = claim_.cumulativeAmount - claimed;
        }
    }

    /// @dev Books `amount` claimed by a contribution whose cumulative claims become `cumulativeAmount`; reverts if the
    /// pool's claims would pass what it was funded. Returns the pool's token and claims.
    function _book(
        uint256 poolId,
        bytes32 contributionId,
        uint256 cumulativeAmount,
        uint256 amount
    ) private returns (address token, uint256 poolClaimed) {
        Epochs.Pool storage pool = _pools[poolId];
        poolClaimed = pool.claimed + amount;
        uint256 funded = pool.funded;
        if (poolClaimed > funded) {
            if (pool.closed) revert Errors.AttributionEpochs_PoolClosed(poolId);
            revert Errors.AttributionEpochs_PoolOverdrawn(poolId, poolClaimed, funded);
        }
        // Cannot truncate: the cumulative amount is the contribution's claims plus this one, at most the pool's
        // claims, at most its funded total, a uint128.
        _positions[poolId][contributionId].claimed = uint128(cumulativeAmount);
        pool.claimed = uint128(poolClaimed);
        token = pool.token;
    }

    /// @dev Consecutive claims of a batch that share one transfer: one pool, one payee.
    struct Run {
        uint256 start;
        uint256 owed;
        address token;
        address payee;
    }

    /// @dev Claims `claims` as {_settle} does for `to`; consecutive claims of one pool and one payee share a transfer,
    /// whose failure defers each of its claims to its author. Returns the sum claimed.
    function _claimMany(Epochs.Claim[] calldata claims, address to) private returns (uint256 total) {
        uint256 count = claims.length;
        if (count == 0) revert Errors.AttributionEpochs_EmptyBatch();
        if (count > MAX_BATCH_SIZE) revert Errors.AttributionEpochs_BatchTooLarge(count, MAX_BATCH_SIZE);
        uint256[] memory amounts = new uint256[](count);
        Run memory run;
        for (uint256 i = 0; i < count; ++i) {
            (uint256 amount, address author, address token) = _settle(claims[i], to);
            address payee = to == address(0) ? author : to;
            // Interactions: the previous run ends here, before this claim starts a new one.
            if (i != 0 && (claims[i].poolId != claims[run.start].poolId || payee != run.payee)) {
                _payRun(claims, amounts, run, i, to);
                run.start = i;
                run.owed = 0;
            }
            run.token = token;
            run.payee = payee;
            amounts[i] = amount;
            run.owed += amount;
            total += amount;
        }
        _payRun(claims, amounts, run, count, to);
    }

    /// @dev Pays a run of claims, up to `end`, in one transfer; if it fails, credits each claim to its author (the
    /// caller for an author's claims, the payee for a keeper's).
    function _payRun(
        Epochs.Claim[] calldata claims,
        uint256[] memory amounts,
        Run memory run,
        uint256 end,
        address to
    ) private {
        if (_pay(run.token, run.payee, run.owed)) return;
        address author = to == address(0) ? run.payee : msg.sender;
        for (uint256 i = run.start; i < end; ++i) {
            _defer(claims[i].poolId, claims[i].contributionId, author, run.token, run.payee, amounts[i]);
        }
    }
}
