// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Test, Vm } from "forge-std/Test.sol";

import { AuthorshipRegistry } from "../../../contracts/AuthorshipRegistry.sol";
import { RoyaltyVault } from "../../../contracts/RoyaltyVault.sol";
import { IRoyaltyVault } from "../../../contracts/interfaces/IRoyaltyVault.sol";
import { IPayouts } from "../../../contracts/interfaces/IPayouts.sol";
import { Errors } from "../../../contracts/libraries/Errors.sol";
import { Authorship } from "../../../contracts/types/DataTypes.sol";
import { Vault } from "../../../contracts/types/VaultTypes.sol";
import { ERC20Mock } from "../../mocks/ERC20Mock.sol";
import { EthRefuserMock, RevertingReceiverMock } from "../../mocks/EthReceiverMocks.sol";

/// @notice Drives the vault with bounded deposits (dust and up to the accumulator bound included), claims by every
/// path, unit changes, time, registrations (direct, late, by commitment), transfers, confirmations, consent changes and
/// direct donations, and keeps the ghost totals and flags the invariants compare against (test/invariant/README.md).
contract VaultHandler is Test {
    uint256 internal constant SCALE = 1e9;
    bytes32 internal constant SALT = keccak256("salt");
    uint256 public constant IDS = 6;
    uint256 public constant AUTHORS = 3;

    AuthorshipRegistry public registry;
    RoyaltyVault public vault;
    address[] public tokens; // tokens[i] is the token of pools[i]; address(0) is ETH
    uint256[] public pools;
    /// @dev The index of the hostile token's pool, which `depositHuge` drives to the accumulator bound.
    uint256 public hugeIndex;
    /// @dev The index of the ETH pool.
    uint256 public ethIndex;
    bytes32[IDS] public ids;
    /// @dev Two wallets and a contract that refuses ETH (its ETH payouts are deferred).
    address[AUTHORS] public authors;
    address public provider;
    address public keeper;
    /// @dev A claim recipient that takes no ETH and is no author: it must never be credited.
    address public refuser;
    /// @dev Where authors withdraw their deferred payouts.
    address public sink;

    /// @dev Per token: what the vault received from deposits, what it paid or credited to claimants, the fees.
    mapping(address token => uint256 amount) public ghostReceived;
    mapping(address token => uint256 amount) public ghostClaimed;
    mapping(address token => uint256 amount) public ghostFees;

    /// @dev Per (pool index, id index): the scaled amount owed after the last action.
    mapping(uint256 poolIndex => mapping(uint256 idIndex => uint256 owed)) public ghostOwed;
    bool public owedDecreasedWithoutClaim;

    /// @dev README 7: a deposit ended a stream earlier, or lowered a running stream's rate.
    bool public depositSlowed;

    /// @dev README 8, kept apart from the vault's own books: when the handler first gave units to an id nobody had
    /// registered, and the record date the provider confirmed.
    mapping(uint256 poolIndex => mapping(uint256 idIndex => uint256 exposedAt)) public ghostExposedAt;
    mapping(uint256 poolIndex => mapping(uint256 idIndex => uint256 confirmedAt)) public ghostConfirmedAt;
    bool public escrowPaidWithoutRight;

    /// @dev README 9: a deposit refused although it fit under the accumulator bound, or taken although it did not.
    bool public depositRefusedWithinBound;
    bool public depositAcceptedBeyondBound;

    /// @dev README 10: what the `PayoutDeferred` events credited to each account, less what it withdrew.
    mapping(address account => mapping(address token => uint256 amount)) public ghostDeferred;

    /// @dev The live commitment of each id, if any: who committed to registering it, and when.
    mapping(uint256 idIndex => address committer) public ghostCommitter;
    mapping(uint256 idIndex => uint256 committedAt) public ghostCommittedAt;

    mapping(bytes4 selector => uint256 calls) public calls;

    /// @dev How often the paths the invariants watch were taken (the suite's coverage, not a check).
    uint256 public depositsIntoRunningStreams;
    uint256 public depositsRefusedAtBound;
    uint256 public escrowedClaimsPaid;
    uint256 public deferralsCredited;
    uint256 public revealsSuperseding;

    constructor(
        AuthorshipRegistry registry_,
        RoyaltyVault vault_,
        address[] memory tokens_,
        uint256[] memory pools_,
        uint256 hugeIndex_
    ) {
        registry = registry_;
        vault = vault_;
        tokens = tokens_;
        pools = pools_;
        hugeIndex = hugeIndex_;
        provider = makeAddr("provider");
        keeper = makeAddr("keeper");
        sink = makeAddr("sink");
        refuser = address(new EthRefuserMock());
        for (uint256 i = 0; i < IDS; ++i) ids[i] = keccak256(abi.encode("contribution", i));
        authors[0] = makeAddr("author0");
        authors[1] = makeAddr("author1");
        authors[2] = address(new RevertingReceiverMock());
        vm.deal(provider, type(uint128).max);
        for (uint256 t = 0; t < tokens_.length; ++t) {
            if (tokens_[t] == address(0)) {
                ethIndex = t;
                continue;
            }
            // The hostile token has no mint: the test gave its whole supply to the provider.
            if (t != hugeIndex_) ERC20Mock(tokens_[t]).mint(provider, type(uint128).max);
            vm.prank(provider);
            ERC20Mock(tokens_[t]).approve(address(vault_), type(uint256).max);
        }
    }

    function poolCount() external view returns (uint256) {
        return pools.length;
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      GHOSTS
    //////////////////////////////////////////////////////////////////////////*/

    modifier tracked(bytes4 selector) {
        _checkMonotonic();
        calls[selector]++;
        _;
        _recordOwed();
    }

    function _checkMonotonic() internal {
        for (uint256 p = 0; p < pools.length; ++p) {
            for (uint256 i = 0; i < IDS; ++i) {
                if (vault.owedScaled(pools[p], ids[i]) < ghostOwed[p][i]) owedDecreasedWithoutClaim = true;
            }
        }
    }

    function _recordOwed() internal {
        for (uint256 p = 0; p < pools.length; ++p) {
            for (uint256 i = 0; i < IDS; ++i) ghostOwed[p][i] = vault.owedScaled(pools[p], ids[i]);
        }
    }

    /*//////////////////////////////////////////////////////////////////////////
                                     DEPOSITS
    //////////////////////////////////////////////////////////////////////////*/

    function deposit(uint256 poolSeed, uint256 amount) external tracked(this.deposit.selector) {
        _deposit(poolSeed % pools.length, bound(amount, 1, 1e24));
    }

    /// @dev The issue's griefing deposit: a few smallest units, into a stream that may be running.
    function depositDust(uint256 poolSeed, uint256 amount) external tracked(this.depositDust.selector) {
        _deposit(poolSeed % pools.length, bound(amount, 1, 1_000));
    }

    /// @dev Into the hostile token's pool, up to twice the room left under the accumulator bound.
    function depositHuge(uint256 amount) external tracked(this.depositHuge.selector) {
        uint256 room = _room(pools[hugeIndex]);
        _deposit(hugeIndex, bound(amount, 1, 2 * room + 2));
    }

    function _deposit(uint256 p, uint256 amount) internal {
        address token = tokens[p];
        uint256 poolId = pools[p];
        (, uint16 feeBps, bool paused) = _config();
        if (paused) return;
        Vault.PoolState memory before = vault.getPool(poolId);
        uint256 room = _room(poolId);
        uint256 balanceBefore = _balance(token);
        vm.prank(provider);
        try vault.deposit{ value: token == address(0) ? amount : 0 }(poolId, amount) returns (uint256 received) {
            assertEq(_balance(token) - balanceBefore, received, "measured");
            uint256 fee = (received * feeBps) / 10_000;
            if (received - fee > room) depositAcceptedBeyondBound = true;
            ghostReceived[token] += received;
            ghostFees[token] += fee;
            Vault.PoolState memory state = vault.getPool(poolId);
            if (before.notYetStreamed != 0) ++depositsIntoRunningStreams;
            if (state.streamEnd < before.streamEnd) depositSlowed = true;
            if (before.notYetStreamed != 0 && state.ratePerSecond < before.ratePerSecond) depositSlowed = true;
        } catch (bytes memory reason) {
            if (bytes4(reason) != Errors.RoyaltyVault_AccumulatorOverflow.selector) _bubble(reason);
            (, uint256 net, uint256 reportedRoom) = abi.decode(_args(reason), (uint256, uint256, uint256));
            if (net <= room || reportedRoom != room) depositRefusedWithinBound = true;
            ++depositsRefusedAtBound;
        }
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      CLAIMS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Tried whether or not the escrow rule allows it: a claim the rule forbids reverts, one that goes through is
    /// checked against the rule.
    function claim(uint256 poolSeed, uint256 idSeed, bool toRefuser) external tracked(this.claim.selector) {
        // A claim to the refuser looks in the ETH pool first, where its payout is deferred.
        (bool found, uint256 p, uint256 i) = _findClaimable(toRefuser ? ethIndex : poolSeed, idSeed);
        if (!found) return;
        address author = registry.authorOf(ids[i]);
        vm.recordLogs();
        vm.prank(author);
        uint256 amount = vault.claim(pools[p], ids[i], toRefuser ? refuser : author);
        _collectDeferrals(vm.getRecordedLogs());
        ghostClaimed[tokens[p]] += amount;
        _checkEscrowPaid(p, i);
        // A claim is the one action that may lower what a contribution is owed.
        ghostOwed[p][i] = vault.owedScaled(pools[p], ids[i]);
    }

    /// @dev An author claims all of its ids that are owed something in one pool.
    function claimBatch(
        uint256 poolSeed,
        uint256 authorSeed,
        bool toRefuser
    ) external tracked(this.claimBatch.selector) {
        uint256 p = poolSeed % pools.length;
        address author = authors[authorSeed % AUTHORS];
        bytes32[][] memory lists = new bytes32[][](1);
        lists[0] = new bytes32[](IDS);
        bool[IDS] memory claimed;
        uint256 count;
        for (uint256 i = 0; i < IDS; ++i) {
            if (registry.authorOf(ids[i]) == author && vault.claimable(pools[p], ids[i]) != 0) {
                lists[0][count++] = ids[i];
                claimed[i] = true;
            }
        }
        if (count == 0) return;
        bytes32[] memory owned = lists[0];
        assembly ("memory-safe") {
            mstore(owned, count)
        }
        uint256[] memory poolIds = new uint256[](1);
        poolIds[0] = pools[p];
        vm.recordLogs();
        vm.prank(author);
        uint256 total = vault.claimBatch(poolIds, lists, toRefuser ? refuser : author);
        _collectDeferrals(vm.getRecordedLogs());
        ghostClaimed[tokens[p]] += total;
        for (uint256 i = 0; i < IDS; ++i) {
            if (!claimed[i]) continue;
            _checkEscrowPaid(p, i);
            ghostOwed[p][i] = vault.owedScaled(pools[p], ids[i]);
        }
    }

    /// @dev A keeper claims one id of a pool for its author, and a second one when it is owed something too.
    function claimFor(uint256 poolSeed, uint256 idSeed, uint256 otherSeed) external tracked(this.claimFor.selector) {
        (bool found, uint256 p, uint256 i) = _findClaimable(poolSeed, idSeed);
        if (!found) return;
        uint256 j = (i + 1 + (otherSeed % (IDS - 1))) % IDS;
        bool both = registry.isRegistered(ids[j]) && vault.claimable(pools[p], ids[j]) != 0;
        bytes32[][] memory lists = new bytes32[][](1);
        lists[0] = both ? new bytes32[](2) : new bytes32[](1);
        lists[0][0] = ids[i];
        if (both) lists[0][1] = ids[j];
        uint256 owedBefore = vault.claimable(pools[p], ids[i]) + (both ? vault.claimable(pools[p], ids[j]) : 0);
        uint256[] memory poolIds = new uint256[](1);
        poolIds[0] = pools[p];
        vm.recordLogs();
        vm.prank(keeper);
        vault.claimFor(poolIds, lists);
        _collectDeferrals(vm.getRecordedLogs());
        ghostClaimed[tokens[p]] += owedBefore;
        _checkEscrowPaid(p, i);
        ghostOwed[p][i] = vault.owedScaled(pools[p], ids[i]);
        if (both) {
            _checkEscrowPaid(p, j);
            ghostOwed[p][j] = vault.owedScaled(pools[p], ids[j]);
        }
    }

    function withdrawDeferred(uint256 authorSeed, uint256 tokenSeed) external tracked(this.withdrawDeferred.selector) {
        address author = authors[authorSeed % AUTHORS];
        address token = tokens[tokenSeed % tokens.length];
        if (vault.deferredOf(author, token) == 0) return;
        vm.prank(author);
        vault.withdrawDeferred(token, sink);
        ghostDeferred[author][token] = 0;
    }

    /*//////////////////////////////////////////////////////////////////////////
                                  UNITS AND ESCROW
    //////////////////////////////////////////////////////////////////////////*/

    function setUnits(uint256 poolSeed, uint256 idSeed, uint256 units) external tracked(this.setUnits.selector) {
        uint256 p = poolSeed % pools.length;
        uint256 i = idSeed % IDS;
        units = bound(units, 0, 10_000_000);
        (, , bool paused) = _config();
        if (paused) return;
        bool registered = registry.isRegistered(ids[i]);
        if (units != 0 && registered && !registry.hasTrainingConsent(ids[i])) return;
        bytes32[] memory one = new bytes32[](1);
        one[0] = ids[i];
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = units;
        vm.prank(provider);
        vault.setUnits(pools[p], one, amounts);
        // Giving units to a hash nobody registered makes it public: from now on it is escrowed.
        if (units != 0 && !registered && ghostExposedAt[p][i] == 0) ghostExposedAt[p][i] = block.timestamp;
    }

    /// @dev The provider vouches for whoever holds the record of an escrowed id now.
    function confirmAuthor(uint256 poolSeed, uint256 idSeed) external tracked(this.confirmAuthor.selector) {
        // The first escrowed and registered position from the seeds on.
        uint256 n = pools.length * IDS;
        uint256 start = (poolSeed % pools.length) * IDS + (idSeed % IDS);
        uint256 p;
        uint256 i;
        Authorship.Record memory record;
        for (uint256 k = 0; k < n; ++k) {
            p = ((start + k) % n) / IDS;
            i = (start + k) % IDS;
            record = registry.getRecord(ids[i]);
            if (ghostExposedAt[p][i] != 0 && record.author != address(0)) break;
            if (k == n - 1) return;
        }
        vm.prank(provider);
        vault.confirmAuthor(pools[p], ids[i], record.author);
        ghostConfirmedAt[p][i] = record.registeredAt;
    }

    /*//////////////////////////////////////////////////////////////////////////
                                   REGISTRATIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev A direct registration, dated now: usually after the id was exposed, or committed to by another author,
    /// like a copier's.
    function register(uint256 idSeed, uint256 authorSeed) external tracked(this.register.selector) {
        uint256 i = idSeed % IDS;
        // Half the time, copy the id of a pending commitment, in a later block than the commitment.
        if (authorSeed % 2 == 0) {
            for (uint256 k = 0; k < IDS; ++k) {
                uint256 c = (idSeed + k) % IDS;
                if (ghostCommittedAt[c] != 0 && !registry.isRegistered(ids[c])) {
                    i = c;
                    if (block.timestamp == ghostCommittedAt[c]) vm.warp(block.timestamp + 1);
                    break;
                }
            }
        }
        bytes32 id = ids[i];
        if (registry.isRegistered(id)) return;
        address author = authors[(authorSeed >> 1) % AUTHORS];
        if (author == ghostCommitter[i]) author = authors[((authorSeed >> 1) + 1) % AUTHORS];
        vm.prank(author);
        registry.register(id, uint8(Authorship.Kind.Prompt), "");
    }

    /// @dev Evidence dated now, the hash kept private: a later reveal may predate an exposure, and supersede a
    /// younger record.
    function commit(uint256 idSeed, uint256 authorSeed) external tracked(this.commit.selector) {
        uint256 i = idSeed % IDS;
        if (ghostCommittedAt[i] != 0 && block.timestamp <= ghostCommittedAt[i] + registry.COMMITMENT_LIFETIME()) return;
        address author = authors[authorSeed % AUTHORS];
        bytes32 commitment = registry.computeCommitment(_registration(ids[i]), author, SALT);
        vm.prank(author);
        registry.commit(commitment);
        ghostCommitter[i] = author;
        ghostCommittedAt[i] = block.timestamp;
    }

    /// @dev Reveals the live commitment of an id, waiting the reveal delay if needed.
    function reveal(uint256 idSeed) external tracked(this.reveal.selector) {
        uint256 i = idSeed % IDS;
        for (uint256 k = 0; k < IDS && ghostCommittedAt[i] == 0; ++k) i = (i + 1) % IDS;
        uint256 committedAt = ghostCommittedAt[i];
        if (committedAt == 0) return;
        if (block.timestamp < committedAt + registry.MIN_REVEAL_DELAY()) {
            vm.warp(committedAt + registry.MIN_REVEAL_DELAY());
        }
        Authorship.Record memory record = registry.getRecord(ids[i]);
        bool expired = block.timestamp > committedAt + registry.COMMITMENT_LIFETIME();
        bool precedes =
            record.author == address(0) ||
                (record.registeredAt > committedAt &&
                    block.timestamp <= record.registeredAt + registry.SUPERSESSION_WINDOW());
        if (!expired && precedes) {
            if (record.author != address(0)) ++revealsSuperseding;
            vm.prank(ghostCommitter[i]);
            registry.reveal(_registration(ids[i]), SALT);
        }
        delete ghostCommitter[i];
        delete ghostCommittedAt[i];
    }

    function transferAuthorship(uint256 idSeed, uint256 authorSeed) external tracked(this.transferAuthorship.selector) {
        bytes32 id = ids[idSeed % IDS];
        address author = registry.authorOf(id);
        address newAuthor = authors[authorSeed % AUTHORS];
        if (author == address(0) || author == newAuthor) return;
        vm.prank(author);
        registry.transferAuthorship(id, newAuthor);
        vm.prank(newAuthor);
        registry.acceptAuthorship(id);
    }

    function setConsent(uint256 idSeed, bool consent, uint256 poolSeed) external tracked(this.setConsent.selector) {
        bytes32 id = ids[idSeed % IDS];
        address author = registry.authorOf(id);
        if (author == address(0)) return;
        vm.prank(author);
        registry.setTrainingConsent(id, consent);
        uint256 poolId = pools[poolSeed % pools.length];
        if (!consent && _position(poolId, id).units != 0) vault.removeContribution(poolId, id);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                       OTHERS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Half the time within the hour (commitments, supersession windows), else up to 20 days (streams).
    function warp(uint256 seconds_) external tracked(this.warp.selector) {
        vm.warp(block.timestamp + bound(seconds_ >> 1, 1, seconds_ % 2 == 0 ? 1 hours : 20 days));
    }

    function donate(uint256 poolSeed, uint256 amount) external tracked(this.donate.selector) {
        address token = tokens[poolSeed % pools.length];
        amount = bound(amount, 1, 1e21);
        if (token == address(0)) {
            // ETH can only be forced in (the vault has no receive function).
            vm.deal(address(vault), address(vault).balance + amount);
        } else {
            vm.prank(provider);
            ERC20Mock(token).transfer(address(vault), amount);
        }
    }

    function setFee(uint256 feeBps, bool pause_) external tracked(this.setFee.selector) {
        address owner = vault.owner();
        vm.startPrank(owner);
        vault.setProtocolFee(uint16(bound(feeBps, 0, 500)), owner);
        (, , bool paused) = _config();
        if (pause_ != paused) pause_ ? vault.pause() : vault.unpause();
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      HELPERS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The first registered (pool, id) owed something, from the seeds on; the escrow rule is not consulted.
    function _findClaimable(uint256 poolSeed, uint256 idSeed) internal view returns (bool, uint256, uint256) {
        uint256 n = pools.length * IDS;
        uint256 start = (poolSeed % pools.length) * IDS + (idSeed % IDS);
        for (uint256 k = 0; k < n; ++k) {
            uint256 p = ((start + k) % n) / IDS;
            uint256 i = (start + k) % IDS;
            if (registry.isRegistered(ids[i]) && vault.claimable(pools[p], ids[i]) != 0) return (true, p, i);
        }
        return (false, 0, 0);
    }

    /// @dev README 8: a claim that went through paid a record older than the exposure, or the confirmed one.
    function _checkEscrowPaid(uint256 p, uint256 i) internal {
        uint256 exposedAt = ghostExposedAt[p][i];
        if (exposedAt == 0) return;
        ++escrowedClaimsPaid;
        uint256 registeredAt = registry.getRecord(ids[i]).registeredAt;
        if (registeredAt >= exposedAt && registeredAt != ghostConfirmedAt[p][i]) escrowPaidWithoutRight = true;
    }

    /// @dev README 10: credits each `PayoutDeferred` to the account it names.
    function _collectDeferrals(Vm.Log[] memory logs) internal {
        for (uint256 k = 0; k < logs.length; ++k) {
            if (logs[k].emitter != address(vault) || logs[k].topics[0] != IPayouts.PayoutDeferred.selector) {
                continue;
            }
            address account = address(uint160(uint256(logs[k].topics[3])));
            (address token, , uint256 amount) = abi.decode(logs[k].data, (address, address, uint256));
            ghostDeferred[account][token] += amount;
            ++deferralsCredited;
        }
    }

    /// @dev The most a pool can still take, net of the fee, in token units (the vault's own bound, from its view).
    function _room(uint256 poolId) internal view returns (uint256) {
        Vault.PoolState memory state = vault.getPool(poolId);
        return (type(uint160).max - state.accPerUnit - state.carriedRemainder - state.notYetStreamed) / SCALE;
    }

    function _registration(bytes32 id) internal pure returns (Authorship.Registration memory registration) {
        registration.contributionId = id;
        registration.kind = uint8(Authorship.Kind.Prompt);
        registration.trainingConsent = true;
    }

    function _balance(address token) internal view returns (uint256) {
        return token == address(0) ? address(vault).balance : ERC20Mock(token).balanceOf(address(vault));
    }

    function _config() internal view returns (address, uint16, bool) {
        Vault.Config memory config = vault.config();
        return (config.feeRecipient, config.feeBps, config.paused);
    }

    function _position(uint256 poolId, bytes32 id) internal view returns (Vault.Position memory position) {
        (position, ) = vault.positionOf(poolId, id);
    }

    /// @dev A custom error's arguments: the revert data after its selector.
    function _args(bytes memory reason) internal pure returns (bytes memory args) {
        args = new bytes(reason.length - 4);
        for (uint256 k = 0; k < args.length; ++k) args[k] = reason[k + 4];
    }

    function _bubble(bytes memory reason) internal pure {
        assembly ("memory-safe") {
            revert(add(reason, 0x20), mload(reason))
        }
    }
}
