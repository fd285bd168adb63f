// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Test } from "forge-std/Test.sol";
import { Hashes } from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import { AttributionEpochs } from "../../../contracts/AttributionEpochs.sol";
import { AuthorshipRegistry } from "../../../contracts/AuthorshipRegistry.sol";
import { RoyaltyVault } from "../../../contracts/RoyaltyVault.sol";
import { Authorship } from "../../../contracts/types/DataTypes.sol";
import { Epochs } from "../../../contracts/types/EpochTypes.sol";
import { ERC20Mock } from "../../mocks/ERC20Mock.sol";
import { EthRefuserMock } from "../../mocks/EthReceiverMocks.sol";

/// @notice Drives AttributionEpochs with bounded fundings, publications (honest trees whose cumulative amounts only
/// grow, and dishonest ones that move amounts between contributions or claim more than the pool holds), vetoes, time,
/// late registrations, confirmations, claims by every path, deferred withdrawals, protocol fees and reclaims, and
/// keeps the trees and flags the epoch invariants compare against (test/invariant/README.md).
contract EpochHandler is Test {
    uint256 public constant IDS = 6;
    uint256 public constant AUTHORS = 3;

    AuthorshipRegistry public registry;
    RoyaltyVault public vault;
    AttributionEpochs public epochs;
    address[] public tokens; // tokens[p] is the token of pools[p]; address(0) is ETH
    uint256[] public pools;
    bytes32[IDS] public ids;
    /// @dev Two wallets and a contract that takes no ETH (its ETH payouts are deferred).
    address[AUTHORS] public authors;
    address public provider;
    address public publisher;
    address public challenger;
    address public keeper;
    address public sink;

    /// @dev Per (pool index, epoch): the leaves' cumulative amounts and first epochs, and whether it was vetoed.
    mapping(uint256 poolIndex => mapping(uint32 epochId => uint256[IDS] amounts)) internal _amounts;
    mapping(uint256 poolIndex => mapping(uint32 epochId => uint32[IDS] firstEpochs)) internal _firsts;
    mapping(uint256 poolIndex => mapping(uint32 epochId => bool vetoed)) public ghostVetoed;
    mapping(uint256 poolIndex => uint32 count) public ghostEpochCount;

    /// @dev What the sequences reached: successful publications, vetoes, claims, and deferred payouts.
    uint256 public ghostPublications;
    uint256 public ghostVetoes;
    uint256 public ghostClaims;

    /// @dev README 14: a claim succeeded against an epoch the challenger had vetoed.
    bool public paidFromVetoed;
    /// @dev README 12: a claim succeeded against an epoch that was not the pool's payable one.
    bool public paidFromNonPayable;

    constructor(
        AuthorshipRegistry registry_,
        RoyaltyVault vault_,
        AttributionEpochs epochs_,
        address[] memory tokens_,
        uint256[] memory pools_,
        address provider_,
        address publisher_,
        address challenger_
    ) {
        registry = registry_;
        vault = vault_;
        epochs = epochs_;
        tokens = tokens_;
        pools = pools_;
        provider = provider_;
        publisher = publisher_;
        challenger = challenger_;
        keeper = makeAddr("keeper");
        sink = makeAddr("sink");
        authors[0] = makeAddr("author0");
        authors[1] = makeAddr("author1");
        authors[2] = address(new EthRefuserMock());
        for (uint256 i = 0; i < IDS; ++i) {
            ids[i] = keccak256(abi.encode("contribution", i));
            // Four are registered before any epoch; two wait for `register`, after their exposure.
            if (i < 4) _registerAs(authors[i % AUTHORS], ids[i]);
        }
        vm.warp(block.timestamp + 1);
    }

    function poolCount() external view returns (uint256) {
        return pools.length;
    }

    /// @dev The cumulative amount of leaf `i` in epoch `epochId` of pool index `p`.
    function amountOf(uint256 p, uint32 epochId, uint256 i) external view returns (uint256) {
        return _amounts[p][epochId][i];
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      ACTIONS
    //////////////////////////////////////////////////////////////////////////*/

    function fund(uint256 poolSeed, uint256 amount) external {
        _fund(poolSeed % pools.length, bound(amount, 1, 1e24));
    }

    function _fund(uint256 p, uint256 amount) internal {
        address token = tokens[p];
        vm.startPrank(provider);
        if (token == address(0)) {
            vm.deal(provider, amount);
            try epochs.fund{ value: amount }(pools[p], amount) {} catch {}
        } else {
            ERC20Mock(token).mint(provider, amount);
            ERC20Mock(token).approve(address(epochs), amount);
            try epochs.fund(pools[p], amount) {} catch {}
        }
        vm.stopPrank();
    }

    /// @dev Publishes a tree of the six contributions. Honest: each cumulative amount is the previous epoch's plus a
    /// share of up to what the pool has not attributed yet. Dishonest: the amounts of two contributions swapped (a
    /// third of the time), so one decreases; everything funded given to one contribution (a third); or a total above
    /// the funding (refused).
    function publish(uint256 poolSeed, uint256 seed) external {
        uint256 p = poolSeed % pools.length;
        uint256 poolId = pools[p];
        // A pool with nothing left to attribute is funded first, so that most publications have something to give.
        if (epochs.getPool(poolId).funded == epochs.getPool(poolId).payableTotal) _fund(p, bound(seed, 1, 1e24));
        Epochs.PoolState memory state = epochs.getPool(poolId);
        // A publication extends the pending epoch once its window passed, else the accepted one: the payable one.
        uint32 previous = state.payableEpoch;
        uint256[IDS] memory amounts = _amounts[p][previous];
        uint32[IDS] memory firsts = _firsts[p][previous];
        uint32 next = state.epochCount + 1;
        uint256 previousTotal;
        for (uint256 i = 0; i < IDS; ++i) previousTotal += amounts[i];
        uint256 room = state.funded > previousTotal ? state.funded - previousTotal : 0;
        for (uint256 i = 0; i < IDS; ++i) {
            uint256 share = room == 0 ? 0 : uint256(keccak256(abi.encode(seed, i))) % (room / IDS + 1);
            amounts[i] += share;
            if (firsts[i] == 0 && amounts[i] != 0) firsts[i] = next;
        }
        if (seed % 3 == 0) {
            uint256 a = seed % IDS;
            uint256 b = (seed / IDS) % IDS;
            (amounts[a], amounts[b]) = (amounts[b], amounts[a]);
            (firsts[a], firsts[b]) = (firsts[b], firsts[a]);
        } else if (seed % 3 == 1) {
            // Everything funded to one contribution, the others to zero: the total fits, the claims would not.
            uint256 a = seed % IDS;
            for (uint256 i = 0; i < IDS; ++i) amounts[i] = 0;
            amounts[a] = state.funded;
            if (firsts[a] == 0) firsts[a] = next;
        } else if (seed % 11 == 2) {
            amounts[seed % IDS] += room + 1;
        }
        uint256 total;
        for (uint256 i = 0; i < IDS; ++i) total += amounts[i];
        bytes32 root = _root(poolId, amounts, firsts);
        vm.prank(publisher);
        try epochs.publish(poolId, _manifest(root, total, previous)) returns (uint32 epochId) {
            _amounts[p][epochId] = amounts;
            _firsts[p][epochId] = firsts;
            ghostEpochCount[p] = epochId;
            ++ghostPublications;
        } catch {}
    }

    function veto(uint256 poolSeed) external {
        uint256 p = poolSeed % pools.length;
        uint32 pending = epochs.getPool(pools[p]).pendingEpoch;
        if (pending == 0) return;
        vm.prank(challenger);
        try epochs.veto(pools[p], pending, "wrong") {
            ghostVetoed[p][pending] = true;
            ++ghostVetoes;
        } catch {}
    }

    function warp(uint256 seconds_) external {
        seconds_ = seconds_ % 2 == 0 ? bound(seconds_, 1, 1 hours) : bound(seconds_, 1 days, 20 days);
        vm.warp(block.timestamp + seconds_);
        // A keeper claims whatever time made payable.
        claimFor();
    }

    /// @dev Registers one of the two late contributions: after its exposure, so its claims wait for a confirmation.
    function register(uint256 idSeed, uint256 authorSeed) external {
        uint256 i = 4 + (idSeed % 2);
        if (registry.authorOf(ids[i]) != address(0)) return;
        _registerAs(authors[authorSeed % AUTHORS], ids[i]);
    }

    function confirmAuthor(uint256 poolSeed, uint256 idSeed) external {
        uint256 p = poolSeed % pools.length;
        bytes32 id = ids[idSeed % IDS];
        address author = registry.authorOf(id);
        if (author == address(0)) return;
        vm.prank(provider);
        epochs.confirmAuthor(pools[p], id, author);
    }

    /// @dev An author claims one contribution against an epoch: the payable one most of the time, else any.
    function claim(uint256 poolSeed, uint256 idSeed, uint256 epochSeed, bool toSink) external {
        uint256 p = poolSeed % pools.length;
        uint256 i = idSeed % IDS;
        address author = registry.authorOf(ids[i]);
        if (author == address(0)) author = authors[0];
        Epochs.Claim memory c = _claimOf(p, i, _pickEpoch(p, epochSeed));
        vm.prank(author);
        try epochs.claim(c, toSink ? sink : author) {
            _checkPaid(p, c.epochId);
        } catch {}
    }

    /// @dev A keeper claims every contribution of every pool against its payable epoch (each one that can be paid).
    function claimFor() public {
        for (uint256 p = 0; p < pools.length; ++p) {
            uint32 epochId = epochs.payableEpoch(pools[p]);
            if (epochId == 0) continue;
            for (uint256 i = 0; i < IDS; ++i) {
                Epochs.Claim[] memory claims = new Epochs.Claim[](1);
                claims[0] = _claimOf(p, i, epochId);
                vm.prank(keeper);
                try epochs.claimFor(claims) {
                    _checkPaid(p, epochId);
                } catch {}
            }
        }
    }

    /// @dev An author claims two contributions of two pools in one batch.
    function claimBatch(uint256 poolSeed, uint256 idSeed) external {
        uint256 p = poolSeed % pools.length;
        uint256 q = (poolSeed / pools.length) % pools.length;
        uint256 i = idSeed % 4;
        address author = registry.authorOf(ids[i]);
        Epochs.Claim[] memory claims = new Epochs.Claim[](2);
        claims[0] = _claimOf(p, i, epochs.payableEpoch(pools[p]));
        claims[1] = _claimOf(q, i, epochs.payableEpoch(pools[q]));
        vm.prank(author);
        try epochs.claimBatch(claims, author) {
            _checkPaid(p, claims[0].epochId);
            _checkPaid(q, claims[1].epochId);
        } catch {}
    }

    function withdrawDeferred(uint256 authorSeed, uint256 tokenSeed) external {
        address author = authors[authorSeed % AUTHORS];
        address token = tokens[tokenSeed % tokens.length];
        vm.prank(author);
        try epochs.withdrawDeferred(token, sink) {} catch {}
    }

    function setFee(uint256 feeBps) external {
        vm.prank(vault.owner());
        vault.setProtocolFee(uint16(bound(feeBps, 0, 500)), sink);
    }

    function collectFees(uint256 tokenSeed) external {
        vm.prank(sink);
        try epochs.collectFees(tokens[tokenSeed % tokens.length], sink) {} catch {}
    }

    function reclaim(uint256 poolSeed) external {
        uint256 p = poolSeed % pools.length;
        vm.prank(provider);
        try epochs.reclaimUnclaimed(pools[p], provider) {} catch {}
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      HELPERS
    //////////////////////////////////////////////////////////////////////////*/

    function _registerAs(address author, bytes32 id) internal {
        vm.prank(author);
        registry.register(id, uint8(Authorship.Kind.Prompt), "");
    }

    function _pickEpoch(uint256 p, uint256 seed) internal view returns (uint32) {
        if (seed % 4 != 0 || ghostEpochCount[p] == 0) return epochs.payableEpoch(pools[p]);
        return uint32(1 + ((seed / 4) % ghostEpochCount[p]));
    }

    function _checkPaid(uint256 p, uint32 epochId) internal {
        ++ghostClaims;
        if (ghostVetoed[p][epochId]) paidFromVetoed = true;
        if (epochId != epochs.payableEpoch(pools[p])) paidFromNonPayable = true;
    }

    function _manifest(
        bytes32 root,
        uint256 total,
        uint32 previousEpoch
    ) internal pure returns (Epochs.Manifest memory manifest) {
        manifest.root = root;
        manifest.total = total;
        manifest.methodId = keccak256("usage-share-v1");
        manifest.leafFileUri = "ipfs://leaves";
        manifest.previousEpoch = previousEpoch;
    }

    function _leaves(
        uint256 poolId,
        uint256[IDS] memory amounts,
        uint32[IDS] memory firsts
    ) internal view returns (bytes32[] memory leaves) {
        leaves = new bytes32[](IDS);
        for (uint256 i = 0; i < IDS; ++i) leaves[i] = epochs.leafOf(poolId, ids[i], amounts[i], firsts[i]);
    }

    /// @dev The six leaves as a tree: ((0,1),(2,3)),(4,5).
    function _root(
        uint256 poolId,
        uint256[IDS] memory amounts,
        uint32[IDS] memory firsts
    ) internal view returns (bytes32) {
        bytes32[] memory l = _leaves(poolId, amounts, firsts);
        bytes32 a = Hashes.commutativeKeccak256(l[0], l[1]);
        bytes32 b = Hashes.commutativeKeccak256(l[2], l[3]);
        bytes32 c = Hashes.commutativeKeccak256(l[4], l[5]);
        return Hashes.commutativeKeccak256(Hashes.commutativeKeccak256(a, b), c);
    }

    /// @dev The claim of contribution `i` against the handler's tree of epoch `epochId` of pool index `p`.
    function _claimOf(uint256 p, uint256 i, uint32 epochId) internal view returns (Epochs.Claim memory c) {
        uint256 poolId = pools[p];
        uint256[IDS] memory amounts = _amounts[p][epochId];
        uint32[IDS] memory firsts = _firsts[p][epochId];
        bytes32[] memory l = _leaves(poolId, amounts, firsts);
        bytes32[] memory proof;
        if (i < 4) {
            proof = new bytes32[](3);
            proof[0] = l[i ^ 1];
            proof[1] = i < 2 ? Hashes.commutativeKeccak256(l[2], l[3]) : Hashes.commutativeKeccak256(l[0], l[1]);
            proof[2] = Hashes.commutativeKeccak256(l[4], l[5]);
        } else {
            proof = new bytes32[](2);
            proof[0] = l[i ^ 1];
            proof[1] = Hashes.commutativeKeccak256(
                Hashes.commutativeKeccak256(l[0], l[1]),
                Hashes.commutativeKeccak256(l[2], l[3])
            );
        }
        c = Epochs.Claim({
            poolId: poolId,
            epochId: epochId,
            contributionId: ids[i],
            cumulativeAmount: amounts[i],
            firstEpoch: firsts[i],
            proof: proof
        });
    }
}
