// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";
import { Ownable2Step } from "@openzeppelin/contracts/access/Ownable2Step.sol";
import { IERC20 } from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import { SafeERC20 } from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import { SafeCast } from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import { Payouts } from "./abstracts/Payouts.sol";
import { IAuthorshipRegistry } from "./interfaces/IAuthorshipRegistry.sol";
import { IPayouts } from "./interfaces/IPayouts.sol";
import { Authorship } from "./types/DataTypes.sol";
import { IRoyaltyVault } from "./interfaces/IRoyaltyVault.sol";
import { Errors } from "./libraries/Errors.sol";
import { StreamMath } from "./libraries/StreamMath.sol";
import {
    VaultLayout,
    AccumulatorWord,
    ConfigWord,
    PositionWord,
    StreamWord,
    TokenWord
} from "./libraries/VaultLayout.sol";
import { Vault } from "./types/VaultTypes.sol";

/// @title RoyaltyVault
/// @notice See the documentation in {IRoyaltyVault}.
contract RoyaltyVault is IRoyaltyVault, Ownable2Step, Payouts {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////////////////
                                     CONSTANTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRoyaltyVault
    uint256 public constant override SCALE = 1e9;

    /// @inheritdoc IRoyaltyVault
    uint256 public constant override MAX_FEE_BPS = 500;

    /// @inheritdoc IRoyaltyVault
    uint256 public constant override MIN_DURATION = 1 hours;

    /// @inheritdoc IRoyaltyVault
    uint256 public constant override MAX_DURATION = 10 * 365 days;

    /// @inheritdoc IRoyaltyVault
    uint256 public constant override MAX_BATCH_SIZE = 512;

    /// @inheritdoc IRoyaltyVault
    uint256 public constant override MAX_UNITS = type(uint48).max;

    /// @dev Basis points in a whole.
    uint256 private constant _BPS = 10_000;

    /// @inheritdoc IRoyaltyVault
    IAuthorshipRegistry public immutable override REGISTRY;

    /*//////////////////////////////////////////////////////////////////////////
                                      STORAGE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Fee recipient, fee and pause flag in one slot: every deposit reads it once.
    Vault.Config internal _config;

    /// @dev The number of pools created; the last pool's id.
    uint256 internal _poolCount;

    /// @dev Five slots per pool; a deposit writes two of them and a claim writes none.
    mapping(uint256 poolId => Vault.Pool pool) internal _pools;

    /// @dev The wallet each pool's admin named to take the pool over.
    mapping(uint256 poolId => address pendingAdmin) internal _pendingAdmins;

    /// @dev One slot per (pool, contribution).
    mapping(uint256 poolId => mapping(bytes32 contributionId => Vault.Position position)) internal _positions;

    /// @dev Whole token units a contribution accrued under units it no longer has; read only when flagged.
    mapping(uint256 poolId => mapping(bytes32 contributionId => uint256 amount)) internal _accrued;

    /// @dev When each escrowed (pool, contribution) was made public, and the record its admin confirmed; read only when
    /// the position's `escrowed` flag is set.
    mapping(uint256 poolId => mapping(bytes32 contributionId => Vault.Escrow escrow)) internal _escrows;

    /// @dev The pools of each token, for the per-token views.
    mapping(address token => uint256[] poolIds) internal _poolsOfToken;

    /// @dev Protocol fees owed to the fee recipient, per token, in the token's smallest unit.
    mapping(address token => uint256 amount) internal _feesOwed;

    /// @dev Protocol fees collected, per token, in the token's smallest unit.
    mapping(address token => uint256 amount) internal _feesCollected;

    /*//////////////////////////////////////////////////////////////////////////
                                    CONSTRUCTOR
    //////////////////////////////////////////////////////////////////////////*/

    /// @param registry The authorship registry whose authors claim.
    /// @param initialOwner The wallet that sets the protocol fee and pauses; ownership moves in two steps.
    constructor(IAuthorshipRegistry registry, address initialOwner) Ownable(initialOwner) {
        REGISTRY = registry;
    }

    /*//////////////////////////////////////////////////////////////////////////
                                 CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRoyaltyVault
    function poolCount() external view override returns (uint256) {
        return _poolCount;
    }

    /// @inheritdoc IRoyaltyVault
    function getPool(uint256 poolId) public view override returns (Vault.PoolState memory state) {
        Vault.Pool storage pool = _pools[poolId];
        Vault.Stream memory stream = pool.stream;
        if (stream.duration == 0) revert Errors.RoyaltyVault_PoolNotFound(poolId);
        (Vault.Accumulator memory acc, Vault.Stream memory now_) = StreamMath.checkpoint(
            pool.accumulator,
            stream,
            pool.totalUnits,
            block.timestamp
        );
        state = Vault.PoolState({
            token: pool.token,
            admin: pool.admin,
            attributor: pool.attributor,
            duration: stream.duration,
            totalUnits: pool.totalUnits,
            ratePerSecond: now_.ratePerSecond,
            streamEnd: now_.streamEnd,
            accPerUnit: acc.accPerUnit,
            notYetStreamed: StreamMath.notYetStreamed(now_),
            carriedRemainder: acc.carry
        });
    }

    /// @inheritdoc IRoyaltyVault
    function pendingAdminOf(uint256 poolId) external view override returns (address pendingAdmin) {
        pendingAdmin = _pendingAdmins[poolId];
    }

    /// @inheritdoc IRoyaltyVault
    function positionOf(
        uint256 poolId,
        bytes32 contributionId
    ) external view override returns (Vault.Position memory position, uint256 accrued) {
        position = _positions[poolId][contributionId];
        accrued = _accrued[poolId][contributionId];
    }

    /// @inheritdoc IRoyaltyVault
    function escrowOf(uint256 poolId, bytes32 contributionId) external view override returns (Vault.Escrow memory) {
        return _escrows[poolId][contributionId];
    }

    /// @inheritdoc IRoyaltyVault
    function canClaim(uint256 poolId, bytes32 contributionId) external view override returns (bool) {
        if (!_positions[poolId][contributionId].escrowed) return true;
        return _escrowAllows(_escrows[poolId][contributionId], REGISTRY.getRecord(contributionId));
    }

    /// @inheritdoc IRoyaltyVault
    function claimable(uint256 poolId, bytes32 contributionId) external view override returns (uint256 amount) {
        amount = owedScaled(poolId, contributionId) / SCALE;
    }

    /// @inheritdoc IRoyaltyVault
    function owedScaled(uint256 poolId, bytes32 contributionId) public view override returns (uint256 amount) {
        (uint256 acc, ) = _accPerUnitNow(poolId);
        Vault.Position memory position = _positions[poolId][contributionId];
        amount = StreamMath.owedScaled(position, acc);
        if (position.hasAccrued) amount += _accrued[poolId][contributionId] * SCALE;
    }

    /// @inheritdoc IRoyaltyVault
    function poolsOfToken(address token) external view override returns (uint256[] memory poolIds) {
        poolIds = _poolsOfToken[token];
    }

    /// @inheritdoc IRoyaltyVault
    function tokenTotals(address token) external view override returns (Vault.TokenTotals memory totals) {
        uint256[] storage poolIds = _poolsOfToken[token];
        uint256 count = poolIds.length;
        totals.pools = count;
        for (uint256 i = 0; i < count; ++i) {
            Vault.PoolState memory state = getPool(poolIds[i]);
            totals.notYetStreamed += state.notYetStreamed;
            totals.carriedRemainder += state.carriedRemainder;
        }
        totals.feesOwed = _feesOwed[token];
        totals.feesCollected = _feesCollected[token];
        totals.deferredOwed = _deferredTotal[token];
    }

    /// @inheritdoc IRoyaltyVault
    function config() external view override returns (Vault.Config memory) {
        return _config;
    }

    /*//////////////////////////////////////////////////////////////////////////
                               NON-CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRoyaltyVault
    function createPool(
        address token,
        address admin,
        uint40 duration,
        string calldata metadataUri
    ) external override returns (uint256 poolId) {
        // Checks
        if (admin == address(0)) revert Errors.RoyaltyVault_ZeroAdmin();
        if (duration < MIN_DURATION || duration > MAX_DURATION) {
            revert Errors.RoyaltyVault_InvalidDuration(duration, MIN_DURATION, MAX_DURATION);
        }
        if (token != address(0) && token.code.length == 0) revert Errors.RoyaltyVault_TokenNotContract(token);

        // Effects
        // Cannot overflow: one pool per transaction at most.
        unchecked {
            poolId = ++_poolCount;
        }
        Vault.Pool storage pool = _pools[poolId];
        uint40 now_ = uint40(block.timestamp);
        pool.stream = Vault.Stream({ ratePerSecond: 0, lastUpdate: now_, streamEnd: now_, duration: duration });
        pool.token = token;
        pool.admin = admin;
        _poolsOfToken[token].push(poolId);
        emit PoolCreated(poolId, token, admin, msg.sender, duration, metadataUri);
    }

    /// @inheritdoc IRoyaltyVault
    function transferPoolAdmin(uint256 poolId, address newAdmin) external override {
        // Checks
        address admin = _checkAdmin(poolId);

        // Effects
        _pendingAdmins[poolId] = newAdmin;
        emit PoolAdminTransferStarted(poolId, admin, newAdmin);
    }

    /// @inheritdoc IRoyaltyVault
    function acceptPoolAdmin(uint256 poolId) external override {
        // Checks
        address pendingAdmin = _pendingAdmins[poolId];
        if (pendingAdmin == address(0) || msg.sender != pendingAdmin) {
            revert Errors.RoyaltyVault_NotPendingPoolAdmin(poolId, msg.sender, pendingAdmin);
        }

        // Effects
        Vault.Pool storage pool = _pools[poolId];
        address previousAdmin = pool.admin;
        pool.admin = pendingAdmin;
        delete _pendingAdmins[poolId];
        emit PoolAdminTransferred(poolId, previousAdmin, pendingAdmin);
    }

    /// @inheritdoc IRoyaltyVault
    function setAttributor(uint256 poolId, address attributor) external override {
        // Checks
        _checkAdmin(poolId);

        // Effects
        _pools[poolId].attributor = attributor;
        emit AttributorSet(poolId, attributor);
    }

    /// @inheritdoc IRoyaltyVault
    function deposit(uint256 poolId, uint256 amount) external payable override nonReentrant returns (uint256 received) {
        // The hot path reads and writes whole slots ({VaultLayout}): three pool slots and the configuration are read
        // once each, two pool slots are written once each.
        Vault.Pool storage pool = _pools[poolId];
        ConfigWord config_ = VaultLayout.load(_config);
        StreamWord stream = VaultLayout.loadStream(pool);
        TokenWord tokenWord = VaultLayout.loadToken(pool);

        // Checks
        if (config_.paused()) revert Errors.RoyaltyVault_Paused();
        if (stream.duration() == 0) revert Errors.RoyaltyVault_PoolNotFound(poolId);
        if (amount == 0) revert Errors.RoyaltyVault_ZeroAmount(poolId);
        address token = tokenWord.token();

        // Interactions (in): the amount credited is what arrived, so the tokens move before the books do. The
        // guard keeps a token's callback from re-entering the vault in between.
        if (token == address(0)) {
            if (msg.value != amount) revert Errors.RoyaltyVault_EthValueMismatch(poolId, msg.value, amount);
            received = amount;
        } else {
            if (msg.value != 0) revert Errors.RoyaltyVault_EthValueMismatch(poolId, msg.value, 0);
            uint256 balanceBefore = _balanceOfSelf(token);
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
            // Cannot underflow: the vault's balance only grew during its own pull (the guard blocks re-entry).
            unchecked {
                received = _balanceOfSelf(token) - balanceBefore;
            }
            if (received == 0) revert Errors.RoyaltyVault_NothingReceived(poolId, amount);
        }

        // Effects
        uint256 fee;
        // Cannot overflow in a deposit that can succeed: the fee rate is at most MAX_FEE_BPS (a uint16 field), and a
        // `received` for which the product wraps (above 2^247) makes the checked `* SCALE` in {_credit} revert. Even
        // then the fee stays below `received`: a wrapped product is below 2^256, so the fee below 2^243.
        unchecked {
            fee = (received * config_.feeBps()) / _BPS;
        }
        if (fee != 0) _feesOwed[token] += fee;
        _credit(pool, poolId, received, fee, stream, tokenWord.totalUnits());
    }

    /// @inheritdoc IRoyaltyVault
    function setUnits(
        uint256 poolId,
        bytes32[] calldata contributionIds,
        uint256[] calldata units
    ) external override nonReentrant {
        // Checks
        uint256 count = contributionIds.length;
        if (count == 0) revert Errors.RoyaltyVault_EmptyBatch();
        if (count != units.length) revert Errors.RoyaltyVault_LengthMismatch(count, units.length);
        if (count > MAX_BATCH_SIZE) revert Errors.RoyaltyVault_BatchTooLarge(count, MAX_BATCH_SIZE);
        if (_config.paused) revert Errors.RoyaltyVault_Paused();
        Vault.Pool storage pool = _pools[poolId];
        if (pool.stream.duration == 0) revert Errors.RoyaltyVault_PoolNotFound(poolId);
        if (msg.sender != pool.admin && msg.sender != pool.attributor) {
            revert Errors.RoyaltyVault_NotUnitSetter(poolId, msg.sender);
        }

        // Effects: checkpoint the pool under its old units, then move each position to the new ones.
        uint256 totalUnits = pool.totalUnits;
        (Vault.Accumulator memory acc, Vault.Stream memory stream) = StreamMath.checkpoint(
            pool.accumulator,
            pool.stream,
            totalUnits,
            block.timestamp
        );
        _storeCheckpoint(pool, acc, stream);
        for (uint256 i = 0; i < count; ++i) {
            totalUnits = _setUnitsOf(poolId, contributionIds[i], units[i], totalUnits, acc, stream.streamEnd);
        }
        // Cannot truncate: checked against the uint96 maximum in {_setUnitsOf}.
        pool.totalUnits = uint96(totalUnits);
    }

    /// @inheritdoc IRoyaltyVault
    function removeContribution(uint256 poolId, bytes32 contributionId) external override nonReentrant {
        // Checks
        Vault.Pool storage pool = _pools[poolId];
        if (pool.stream.duration == 0) revert Errors.RoyaltyVault_PoolNotFound(poolId);
        Authorship.Record memory record = REGISTRY.getRecord(contributionId);
        if (record.author == address(0) || record.trainingConsent) {
            revert Errors.RoyaltyVault_ConsentNotRevoked(contributionId);
        }
        if (_positions[poolId][contributionId].units == 0) {
            revert Errors.RoyaltyVault_NotInPool(poolId, contributionId);
        }

        // Effects
        uint256 totalUnits = pool.totalUnits;
        (Vault.Accumulator memory acc, Vault.Stream memory stream) = StreamMath.checkpoint(
            pool.accumulator,
            pool.stream,
            totalUnits,
            block.timestamp
        );
        _storeCheckpoint(pool, acc, stream);
        (uint256 previousUnits, uint256 accrued, uint256 fraction) = _settlePosition(
            poolId,
            contributionId,
            acc.accPerUnit,
            0,
            false
        );
        // Cannot underflow: the pool's total includes the position's units.
        unchecked {
            totalUnits -= previousUnits;
        }
        // Cannot truncate: a smaller value than the uint96 it was read from.
        pool.totalUnits = uint96(totalUnits);
        emit ContributionRemoved(
            poolId,
            contributionId,
            msg.sender,
            previousUnits,
            totalUnits,
            acc.accPerUnit,
            acc.carry,
            stream.streamEnd,
            accrued,
            fraction
        );
    }

    /// @inheritdoc IRoyaltyVault
    function confirmAuthor(uint256 poolId, bytes32 contributionId, address author) external override {
        // Checks
        address admin = _checkAdmin(poolId);
        if (!_positions[poolId][contributionId].escrowed)
            revert Errors.RoyaltyVault_NotEscrowed(poolId, contributionId);
        Authorship.Record memory record = REGISTRY.getRecord(contributionId);
        if (author == address(0) || record.author != author) {
            revert Errors.RoyaltyVault_AuthorMismatch(contributionId, author, record.author);
        }

        // Effects
        _escrows[poolId][contributionId].confirmedAt = record.registeredAt;
        emit AuthorConfirmed(poolId, contributionId, author, record.registeredAt, admin);
    }

    /// @inheritdoc IRoyaltyVault
    function claim(
        uint256 poolId,
        bytes32 contributionId,
        address to
    ) external override nonReentrant returns (uint256 amount) {
        // Checks
        if (to == address(0)) revert Errors.RoyaltyVault_ZeroRecipient();
        (uint256 acc, address token) = _accPerUnitNow(poolId);
        address author = _checkAuthor(contributionId);

        // Effects
        uint256 fraction;
        (amount, fraction) = _settleClaim(poolId, contributionId, acc, author);
        emit RoyaltiesClaimed(poolId, contributionId, author, to, amount, acc, fraction);

        // Interactions: a failed transfer waits for the author, who can withdraw it anywhere.
        if (!_pay(token, to, amount)) _defer(poolId, contributionId, author, token, to, amount);
    }

    /// @inheritdoc IRoyaltyVault
    function claimBatch(
        uint256[] calldata poolIds,
        bytes32[][] calldata contributionIds,
        address to
    ) external override nonReentrant returns (uint256 total) {
        // Checks
        if (to == address(0)) revert Errors.RoyaltyVault_ZeroRecipient();
        uint256 poolCount_ = _checkClaimBatch(poolIds, contributionIds);

        for (uint256 p = 0; p < poolCount_; ++p) {
            total += _claimPool(poolIds[p], contributionIds[p], to);
        }
    }

    /// @inheritdoc IRoyaltyVault
    function claimFor(uint256[] calldata poolIds, bytes32[][] calldata contributionIds) external override nonReentrant {
        // Checks
        uint256 poolCount_ = _checkClaimBatch(poolIds, contributionIds);

        for (uint256 p = 0; p < poolCount_; ++p) {
            _claimPoolFor(poolIds[p], contributionIds[p]);
        }
    }

    /// @inheritdoc IPayouts
    function withdrawDeferred(address token, address to) external override nonReentrant {
        if (to == address(0)) revert Errors.RoyaltyVault_ZeroRecipient();
        _withdrawDeferred(token, to);
    }

    /// @notice Gives up ownership for good: the fee stays as it is and nobody can pause. Refused while paused, when
    /// nobody could ever resume deposits.
    function renounceOwnership() public override onlyOwner {
        if (_config.paused) revert Errors.RoyaltyVault_RenounceWhilePaused();
        super.renounceOwnership();
    }

    /// @notice Proposes a new owner, who must accept. The zero address is refused rather than taken as a silent
    /// cancel: propose the current owner to cancel a proposal.
    function transferOwnership(address newOwner) public override onlyOwner {
        if (newOwner == address(0)) revert Errors.RoyaltyVault_ZeroOwner();
        super.transferOwnership(newOwner);
    }

    /// @inheritdoc IRoyaltyVault
    function setProtocolFee(uint16 feeBps, address feeRecipient) external override onlyOwner {
        // Checks
        if (feeBps > MAX_FEE_BPS) revert Errors.RoyaltyVault_FeeTooHigh(feeBps, MAX_FEE_BPS);
        if (feeBps != 0 && feeRecipient == address(0)) revert Errors.RoyaltyVault_ZeroFeeRecipient();

        // Effects
        _config.feeBps = feeBps;
        _config.feeRecipient = feeRecipient;
        emit ProtocolFeeSet(feeBps, feeRecipient);
    }

    /// @inheritdoc IRoyaltyVault
    function collectFees(address token, address to) external override nonReentrant {
        // Checks
        address feeRecipient = _config.feeRecipient;
        if (msg.sender != feeRecipient || feeRecipient == address(0)) {
            revert Errors.RoyaltyVault_NotFeeRecipient(msg.sender, feeRecipient);
        }
        if (to == address(0)) revert Errors.RoyaltyVault_ZeroRecipient();
        uint256 amount = _feesOwed[token];
        if (amount == 0) revert Errors.RoyaltyVault_NoFees(token);

        // Effects
        delete _feesOwed[token];
        _feesCollected[token] += amount;
        emit FeesCollected(token, feeRecipient, to, amount);

        // Interactions
        _payStrict(token, to, amount);
    }

    /// @inheritdoc IRoyaltyVault
    function pause() external override onlyOwner {
        // Checks
        if (_config.paused) revert Errors.RoyaltyVault_PauseUnchanged(true);

        // Effects
        _config.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc IRoyaltyVault
    function unpause() external override onlyOwner {
        // Checks
        if (!_config.paused) revert Errors.RoyaltyVault_PauseUnchanged(false);

        // Effects
        _config.paused = false;
        emit Unpaused(msg.sender);
    }

    /*//////////////////////////////////////////////////////////////////////////
                             PRIVATE CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Reverts unless the caller is the pool's admin; returns the admin.
    function _checkAdmin(uint256 poolId) private view returns (address admin) {
        Vault.Pool storage pool = _pools[poolId];
        if (pool.stream.duration == 0) revert Errors.RoyaltyVault_PoolNotFound(poolId);
        admin = pool.admin;
        if (msg.sender != admin) revert Errors.RoyaltyVault_NotPoolAdmin(poolId, msg.sender, admin);
    }

    /// @dev Reverts unless the caller is the contribution's registered author; returns the author.
    function _checkAuthor(bytes32 contributionId) private view returns (address author) {
        author = REGISTRY.authorOf(contributionId);
        if (author == address(0)) revert Errors.RoyaltyVault_NotRegistered(contributionId);
        if (msg.sender != author) revert Errors.RoyaltyVault_NotAuthor(contributionId, msg.sender, author);
    }

    /// @dev Reverts unless the batch is well formed; returns its number of pools.
    function _checkClaimBatch(
        uint256[] calldata poolIds,
        bytes32[][] calldata contributionIds
    ) private pure returns (uint256 count) {
        count = poolIds.length;
        if (count == 0) revert Errors.RoyaltyVault_EmptyBatch();
        if (count != contributionIds.length) revert Errors.RoyaltyVault_LengthMismatch(count, contributionIds.length);
        uint256 items;
        for (uint256 p = 0; p < count; ++p) {
            uint256 length = contributionIds[p].length;
            if (length == 0) revert Errors.RoyaltyVault_EmptyBatch();
            items += length;
        }
        if (items > MAX_BATCH_SIZE) revert Errors.RoyaltyVault_BatchTooLarge(items, MAX_BATCH_SIZE);
    }

    /// @dev The escrow rule: a record dated before the pool made the hash public (evidence made while it was
    /// private), or the very record the admin confirmed. Strictly before: a copy registered in the block of the
    /// exposure, behind it, is not older than it.
    function _escrowAllows(Vault.Escrow memory escrow, Authorship.Record memory record) private pure returns (bool) {
        return
            record.author != address(0) &&
            (record.registeredAt < escrow.exposedAt || record.registeredAt == escrow.confirmedAt);
    }

    /// @dev The pool's accumulator at this block, computed without writing the pool, and its token.
    function _accPerUnitNow(uint256 poolId) private view returns (uint256 acc, address token) {
        Vault.Pool storage pool = _pools[poolId];
        Vault.Stream storage stream = pool.stream;
        if (stream.duration == 0) revert Errors.RoyaltyVault_PoolNotFound(poolId);
        token = pool.token;
        acc = StreamMath.accPerUnitAt(
            pool.accumulator.accPerUnit,
            pool.accumulator.carry,
            stream.ratePerSecond,
            stream.lastUpdate,
            stream.streamEnd,
            pool.totalUnits,
            block.timestamp
        );
    }

    /// @dev The vault's balance of `token`, as `IERC20(token).balanceOf(address(this))` returns it (a failing call
    /// reverts with the token's revert data, a short answer reverts), without the ABI helpers' memory work.
    function _balanceOfSelf(address token) private view returns (uint256 amount) {
        assembly ("memory-safe") {
            mstore(0x00, 0x70a08231) // balanceOf(address)
            mstore(0x20, address())
            if iszero(staticcall(gas(), token, 0x1c, 0x24, 0x00, 0x20)) {
                let ptr := mload(0x40)
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            if lt(returndatasize(), 0x20) {
                revert(0, 0)
            }
            amount := mload(0x00)
        }
    }

    /*//////////////////////////////////////////////////////////////////////////
                           PRIVATE NON-CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev One item of {setUnits}: checks it, settles the position at the checkpoint `acc` and gives it `newUnits`,
    /// opening its escrow when the hash is unregistered. Returns the pool's new total units.
    function _setUnitsOf(
        uint256 poolId,
        bytes32 contributionId,
        uint256 newUnits,
        uint256 totalUnits,
        Vault.Accumulator memory acc,
        uint40 streamEnd
    ) private returns (uint256) {
        // Checks
        if (contributionId == bytes32(0)) revert Errors.RoyaltyVault_ZeroContribution();
        if (newUnits > MAX_UNITS) revert Errors.RoyaltyVault_UnitsTooLarge(contributionId, newUnits, MAX_UNITS);
        bool unregistered;
        if (newUnits != 0) {
            // One read of the record answers both questions. An unregistered hash reads as no consent, but nobody
            // revoked anything: it accrues in escrow.
            Authorship.Record memory record = REGISTRY.getRecord(contributionId);
            unregistered = record.author == address(0);
            if (!unregistered && !record.trainingConsent) revert Errors.RoyaltyVault_ConsentRevoked(contributionId);
        }

        // Effects
        (uint256 previousUnits, uint256 accrued, uint256 fraction) = _settlePosition(
            poolId,
            contributionId,
            acc.accPerUnit,
            newUnits,
            unregistered
        );
        totalUnits = totalUnits - previousUnits + newUnits;
        if (totalUnits > type(uint96).max) revert Errors.RoyaltyVault_TotalUnitsOverflow(poolId, totalUnits);
        emit UnitsSet(
            poolId,
            contributionId,
            msg.sender,
            previousUnits,
            newUnits,
            totalUnits,
            acc.accPerUnit,
            acc.carry,
            streamEnd,
            accrued,
            fraction
        );
        return totalUnits;
    }

    /// @dev Settles a position at `acc` and gives it `newUnits`: whole token units it earned are parked in its accrued
    /// slot, the sub-unit fraction stays in the position. `openEscrow` marks a position not escrowed yet as escrowed
    /// from now. Returns its previous units, and its accrued balance and fraction now.
    function _settlePosition(
        uint256 poolId,
        bytes32 contributionId,
        uint256 acc,
        uint256 newUnits,
        bool openEscrow
    ) private returns (uint256 previousUnits, uint256 accrued, uint256 fraction) {
        Vault.Position storage stored = _positions[poolId][contributionId];
        Vault.Position memory position = stored;
        previousUnits = position.units;
        uint256 owed = StreamMath.owedScaled(position, acc);
        uint256 whole = owed / SCALE;
        fraction = owed % SCALE;
        bool hasAccrued = position.hasAccrued;
        if (whole != 0) {
            accrued = _accrued[poolId][contributionId] + whole;
            _accrued[poolId][contributionId] = accrued;
            hasAccrued = true;
        } else if (hasAccrued) {
            accrued = _accrued[poolId][contributionId];
        }
        bool escrowed = position.escrowed || (openEscrow && _openEscrow(poolId, contributionId));
        _storePosition(stored, newUnits, acc, fraction, hasAccrued, escrowed);
    }

    /// @dev Dates the escrow of a position that the pool makes public now; returns true.
    function _openEscrow(uint256 poolId, bytes32 contributionId) private returns (bool) {
        uint40 now_ = uint40(block.timestamp);
        _escrows[poolId][contributionId].exposedAt = now_;
        emit EscrowOpened(poolId, contributionId, now_);
        return true;
    }

    /// @dev Settles a claim at `acc`: the position keeps its units and its sub-unit fraction and loses the rest.
    /// Reverts if nothing whole is owed, or if the position is escrowed and `author`'s record may not claim it.
    /// Reads the position's slot whole ({VaultLayout}). Returns the amount and the fraction left.
    function _settleClaim(
        uint256 poolId,
        bytes32 contributionId,
        uint256 acc,
        address author
    ) private returns (uint256 amount, uint256 fraction) {
        Vault.Position storage stored = _positions[poolId][contributionId];
        PositionWord position = VaultLayout.load(stored);
        if (position.escrowed()) _checkEscrow(poolId, contributionId, author);
        uint256 owed = position.units() * (acc - position.accPerUnitPaid()) + position.fraction();
        amount = owed / SCALE;
        fraction = owed % SCALE;
        bool hasAccrued = position.hasAccrued();
        if (hasAccrued) {
            amount += _accrued[poolId][contributionId];
            delete _accrued[poolId][contributionId];
        }
        if (amount == 0) revert Errors.RoyaltyVault_NothingToClaim(poolId, contributionId);
        // The position keeps its units and its escrow.
        // Cannot truncate: `acc` fits a uint160 ({StreamMath.accPerUnitAt}), the fraction is below SCALE (< 2^32).
        stored.accPerUnitPaid = uint160(acc);
        stored.fraction = uint32(fraction);
        if (hasAccrued) stored.hasAccrued = false;
    }

    /// @dev Reverts unless the escrow rule lets `author`'s record claim the escrowed position.
    function _checkEscrow(uint256 poolId, bytes32 contributionId, address author) private view {
        Vault.Escrow memory escrow = _escrows[poolId][contributionId];
        Authorship.Record memory record = REGISTRY.getRecord(contributionId);
        if (!_escrowAllows(escrow, record)) {
            revert Errors.RoyaltyVault_EscrowUnconfirmed(
                poolId,
                contributionId,
                author,
                record.registeredAt,
                escrow.exposedAt
            );
        }
    }

    /// @dev Claims `ids` in one pool as their author (the caller) and pays the sum to `to` in one transfer; returns
    /// the sum.
    function _claimPool(uint256 poolId, bytes32[] calldata ids, address to) private returns (uint256 poolTotal) {
        (uint256 acc, address token) = _accPerUnitNow(poolId);
        uint256[] memory amounts = new uint256[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            bytes32 contributionId = ids[i];
            // Checks
            address author = _checkAuthor(contributionId);

            // Effects
            uint256 amount = _claimOne(poolId, contributionId, acc, author, to);
            amounts[i] = amount;
            poolTotal += amount;
        }

        // Interactions: one transfer per pool; a failure only defers this pool's payout, to the caller (the author).
        if (!_pay(token, to, poolTotal)) _deferRun(poolId, ids, amounts, 0, ids.length, msg.sender, token, to);
    }

    /// @dev Claims `ids` in one pool for their authors; consecutive contributions of one author share a transfer.
    function _claimPoolFor(uint256 poolId, bytes32[] calldata ids) private {
        (uint256 acc, address token) = _accPerUnitNow(poolId);
        uint256[] memory amounts = new uint256[](ids.length);
        address payee;
        uint256 owed;
        uint256 runStart;
        for (uint256 i = 0; i < ids.length; ++i) {
            bytes32 contributionId = ids[i];
            // Checks
            address author = REGISTRY.authorOf(contributionId);
            if (author == address(0)) revert Errors.RoyaltyVault_NotRegistered(contributionId);

            // Interactions: the previous author's run ends here, before this contribution is settled.
            if (author != payee) {
                if (owed != 0 && !_pay(token, payee, owed)) {
                    _deferRun(poolId, ids, amounts, runStart, i, payee, token, payee);
                }
                payee = author;
                owed = 0;
                runStart = i;
            }

            // Effects
            uint256 amount = _claimOne(poolId, contributionId, acc, author, author);
            amounts[i] = amount;
            owed += amount;
        }
        if (!_pay(token, payee, owed)) _deferRun(poolId, ids, amounts, runStart, ids.length, payee, token, payee);
    }

    /// @dev Settles one claim of a batch and reports it; returns the amount.
    function _claimOne(
        uint256 poolId,
        bytes32 contributionId,
        uint256 acc,
        address author,
        address recipient
    ) private returns (uint256 amount) {
        uint256 fraction;
        (amount, fraction) = _settleClaim(poolId, contributionId, acc, author);
        emit RoyaltiesClaimed(poolId, contributionId, author, recipient, amount, acc, fraction);
    }

    /// @dev Credits a failed payout of `ids[from:to]` (amounts in `amounts`) to their author, one event each.
    function _deferRun(
        uint256 poolId,
        bytes32[] calldata ids,
        uint256[] memory amounts,
        uint256 from,
        uint256 to,
        address author,
        address token,
        address recipient
    ) private {
        for (uint256 i = from; i < to; ++i) {
            _defer(poolId, ids[i], author, token, recipient, amounts[i]);
        }
    }

    /// @dev Credits what a deposit brought in, net of `fee`: checkpoints the pool and streams what has not streamed
    /// yet together with the net amount over a whole new duration. Reads the accumulator and writes the accumulator
    /// and the stream whole ({VaultLayout}); `stream` is the stream's slot, of a pool that exists.
    function _credit(
        Vault.Pool storage pool,
        uint256 poolId,
        uint256 received,
        uint256 fee,
        StreamWord stream,
        uint256 totalUnits
    ) private {
        uint256 accPerUnit;
        uint256 carry;
        uint256 streamEnd;
        {
            AccumulatorWord accumulator = VaultLayout.loadAccumulator(pool);
            (accPerUnit, carry, streamEnd) = StreamMath.advance(
                accumulator.accPerUnit(),
                accumulator.carry(),
                stream.ratePerSecond(),
                stream.lastUpdate(),
                stream.streamEnd(),
                totalUnits,
                block.timestamp
            );
        }
        uint256 duration = stream.duration();
        uint256 rate;
        {
            // What has not streamed yet and what arrived now stream together, at a rate never below the current one:
            // over the whole duration, or over the shorter time at which the current rate releases them all. The
            // division's remainder is carried into the next spread, so nothing is left behind.
            uint256 previousRate = stream.ratePerSecond();
            uint256 notStreamed;
            uint256 net;
            // Cannot overflow: the rate is below 2^136 and the time left below 2^40 (the end is a uint40). Cannot
            // underflow: the fee is below what arrived (see {deposit}).
            unchecked {
                if (streamEnd > block.timestamp) notStreamed = previousRate * (streamEnd - block.timestamp);
                net = received - fee;
            }
            // Every scaled unit deposited raises the accumulator by at most one (the units are at least one), so a
            // pool whose accumulator, carry, unstreamed funds and deposit fit a uint160 can never overflow it: refuse
            // the deposit rather than let a later claim revert. Cannot underflow: the pool met this bound before.
            uint256 room = type(uint160).max - accPerUnit - carry - notStreamed;
            if (net > room / SCALE) {
                revert Errors.RoyaltyVault_AccumulatorOverflow(poolId, net, room / SCALE);
            }
            uint256 span;
            uint256 remainder;
            // Cannot overflow: below 2^160 by the check above.
            unchecked {
                (rate, span, remainder) = StreamMath.restream(
                    notStreamed == 0 ? 0 : previousRate,
                    notStreamed + net * SCALE,
                    duration
                );
            }
            if (rate > type(uint136).max) revert Errors.RoyaltyVault_RateOverflow(poolId, rate);
            // Cannot overflow: the carry is a uint96 and the remainder below the span (the sum is then checked to fit
            // its field), and a timestamp plus a span of at most a duration is far below 2^256.
            unchecked {
                carry = SafeCast.toUint96(carry + remainder);
                streamEnd = block.timestamp + span;
            }
        }
        VaultLayout.storeCheckpoint(pool, accPerUnit, carry, rate, block.timestamp, streamEnd, duration);
        emit RevenueDeposited(poolId, msg.sender, received, fee, rate, uint40(streamEnd), accPerUnit, carry);
    }

    /// @dev Writes a pool's checkpoint: the fields {StreamMath.checkpoint} moves (the rate and the duration stay).
    function _storeCheckpoint(
        Vault.Pool storage pool,
        Vault.Accumulator memory acc,
        Vault.Stream memory stream
    ) private {
        pool.accumulator.accPerUnit = acc.accPerUnit;
        pool.accumulator.carry = acc.carry;
        pool.stream.lastUpdate = stream.lastUpdate;
        pool.stream.streamEnd = stream.streamEnd;
    }

    /// @dev Writes a whole position. The callers pass `units` of at most MAX_UNITS (2^48 - 1), an `acc` read from a
    /// uint160 and a `fraction` below SCALE (1e9 < 2^32): the casts cannot truncate. A function of its own on purpose:
    /// written inline in {_settlePosition}, the same five assignments cost a `setUnits` 1,243 gas more (the optimizer
    /// no longer folds them into one write of the slot).
    function _storePosition(
        Vault.Position storage stored,
        uint256 units,
        uint256 acc,
        uint256 fraction,
        bool hasAccrued,
        bool escrowed
    ) private {
        stored.units = uint48(units);
        stored.accPerUnitPaid = uint160(acc);
        stored.fraction = uint32(fraction);
        stored.hasAccrued = hasAccrued;
        stored.escrowed = escrowed;
    }
}
