// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Test, Vm } from "forge-std/Test.sol";
import { Hashes } from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import { AttributionEpochs } from "../../contracts/AttributionEpochs.sol";
import { AuthorshipRegistry } from "../../contracts/AuthorshipRegistry.sol";
import { RoyaltyVault } from "../../contracts/RoyaltyVault.sol";
import { IAttributionEpochs } from "../../contracts/interfaces/IAttributionEpochs.sol";
import { IPayouts } from "../../contracts/interfaces/IPayouts.sol";
import { Errors } from "../../contracts/libraries/Errors.sol";
import { Authorship } from "../../contracts/types/DataTypes.sol";
import { Epochs } from "../../contracts/types/EpochTypes.sol";
import { ERC20Mock } from "../mocks/ERC20Mock.sol";

/// @notice Shared users, deployment, trees and helpers of the AttributionEpochs tests.
abstract contract EpochsBase is Test {
    uint256 internal constant START = 1_750_000_000;
    uint40 internal constant WINDOW = 3 days;
    uint40 internal constant RECLAIM_DELAY = 180 days;
    bytes32 internal constant ID = keccak256("a prompt");
    bytes32 internal constant ID2 = keccak256("another prompt");
    bytes32 internal constant ID3 = keccak256("a dataset");
    bytes32 internal constant ID4 = keccak256("a correction");
    string internal constant URI = "ipfs://epoch-pool";
    bytes32 internal constant METHOD = keccak256("usage-share-v1");

    AuthorshipRegistry internal registry;
    RoyaltyVault internal vault;
    AttributionEpochs internal epochs;
    ERC20Mock internal usdc;

    address internal owner;
    address internal admin;
    address internal publisher;
    address internal challenger;
    address internal alice;
    address internal bob;
    address internal eve;
    address internal keeper;
    address internal feeRecipient;

    uint256 internal pool; // a USDC pool, reclaim after RECLAIM_DELAY
    uint256 internal ethPool; // an ETH pool, no reclaim

    /// @dev One leaf of a test tree.
    struct Leaf {
        bytes32 contributionId;
        uint256 cumulativeAmount;
        uint32 firstEpoch;
    }

    /// @dev The leaves of the last tree built per pool, and its levels (level 0: the leaves' hashes).
    mapping(uint256 poolId => Leaf[] leaves) internal _leaves;
    mapping(uint256 poolId => bytes32[][] levels) internal _levels;
    mapping(uint256 poolId => uint32 epochId) internal _lastEpoch;

    function setUp() public virtual {
        vm.warp(START);
        owner = makeAddr("owner");
        admin = makeAddr("admin");
        publisher = makeAddr("publisher");
        challenger = makeAddr("challenger");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        eve = makeAddr("eve");
        keeper = makeAddr("keeper");
        feeRecipient = makeAddr("feeRecipient");

        registry = new AuthorshipRegistry(owner);
        vault = new RoyaltyVault(registry, owner);
        epochs = new AttributionEpochs(registry, vault);
        usdc = new ERC20Mock("USD Coin", "USDC", 6);

        usdc.mint(admin, 1e30);
        vm.prank(admin);
        usdc.approve(address(epochs), type(uint256).max);
        vm.deal(admin, 1e30);

        pool = _createPool(address(usdc), RECLAIM_DELAY);
        ethPool = _createPool(address(0), 0);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      HELPERS
    //////////////////////////////////////////////////////////////////////////*/

    function _params(address token, uint40 reclaimDelay) internal view returns (Epochs.PoolParams memory params) {
        params = Epochs.PoolParams({
            token: token,
            admin: admin,
            publisher: publisher,
            challenger: challenger,
            challengeWindow: WINDOW,
            reclaimDelay: reclaimDelay,
            metadataUri: URI
        });
    }

    function _createPool(address token, uint40 reclaimDelay) internal returns (uint256 poolId) {
        vm.prank(admin);
        poolId = epochs.createPool(_params(token, reclaimDelay));
    }

    function _register(address author, bytes32 id) internal {
        vm.prank(author);
        registry.register(id, uint8(Authorship.Kind.Prompt), "");
    }

    function _fund(uint256 poolId, uint256 amount) internal {
        vm.prank(admin);
        if (poolId == ethPool) epochs.fund{ value: amount }(poolId, amount);
        else epochs.fund(poolId, amount);
    }

    /// @dev The manifest of a root whose total is `total`, extending `previousEpoch`.
    function _manifest(
        bytes32 root,
        uint256 total,
        uint32 previousEpoch
    ) internal pure returns (Epochs.Manifest memory manifest) {
        manifest = Epochs.Manifest({
            root: root,
            total: total,
            methodId: METHOD,
            methodHash: keccak256("method code and parameters"),
            modelHash: keccak256("model v1"),
            snapshotBlock: 1234,
            eligibleHash: keccak256("eligible"),
            usageLogHash: keccak256("usage log"),
            leafFileHash: keccak256("leaf file"),
            leafFileUri: "ipfs://leaf-file",
            previousEpoch: previousEpoch
        });
    }

    /// @dev Builds the tree of `leaves` for `poolId` (kept for proofs) and returns its root and total.
    function _build(uint256 poolId, Leaf[] memory leaves) internal returns (bytes32 root, uint256 total) {
        delete _leaves[poolId];
        delete _levels[poolId];
        bytes32[] memory level = new bytes32[](leaves.length);
        for (uint256 i = 0; i < leaves.length; ++i) {
            _leaves[poolId].push(leaves[i]);
            level[i] = epochs.leafOf(
                poolId,
                leaves[i].contributionId,
                leaves[i].cumulativeAmount,
                leaves[i].firstEpoch
            );
            total += leaves[i].cumulativeAmount;
        }
        _levels[poolId].push(level);
        while (level.length > 1) {
            bytes32[] memory next = new bytes32[]((level.length + 1) / 2);
            for (uint256 i = 0; i < next.length; ++i) {
                next[i] =
                    2 * i + 1 < level.length
                        ? Hashes.commutativeKeccak256(level[2 * i], level[2 * i + 1])
                        : level[2 * i];
            }
            level = next;
            _levels[poolId].push(level);
        }
        root = level[0];
    }

    /// @dev Builds and publishes a tree of `leaves` extending the pool's last epoch published by the helpers (or
    /// `previousEpoch` given); returns the new epoch.
    function _publish(uint256 poolId, Leaf[] memory leaves, uint32 previousEpoch) internal returns (uint32 epochId) {
        (bytes32 root, uint256 total) = _build(poolId, leaves);
        vm.prank(publisher);
        epochId = epochs.publish(poolId, _manifest(root, total, previousEpoch));
        _lastEpoch[poolId] = epochId;
    }

    /// @dev The proof of leaf `index` of the pool's last tree.
    function _proof(uint256 poolId, uint256 index) internal view returns (bytes32[] memory proof) {
        bytes32[][] storage levels = _levels[poolId];
        bytes32[] memory buffer = new bytes32[](levels.length);
        uint256 length;
        for (uint256 d = 0; d + 1 < levels.length; ++d) {
            uint256 sibling = index ^ 1;
            if (sibling < levels[d].length) buffer[length++] = levels[d][sibling];
            index >>= 1;
        }
        proof = new bytes32[](length);
        for (uint256 i = 0; i < length; ++i) proof[i] = buffer[i];
    }

    /// @dev The claim of leaf `index` of the pool's last tree, against `epochId`.
    function _claimOf(uint256 poolId, uint32 epochId, uint256 index) internal view returns (Epochs.Claim memory c) {
        Leaf storage leaf = _leaves[poolId][index];
        c = Epochs.Claim({
            poolId: poolId,
            epochId: epochId,
            contributionId: leaf.contributionId,
            cumulativeAmount: leaf.cumulativeAmount,
            firstEpoch: leaf.firstEpoch,
            proof: _proof(poolId, index)
        });
    }

    function _leaf(bytes32 id, uint256 amount, uint32 firstEpoch) internal pure returns (Leaf memory) {
        return Leaf({ contributionId: id, cumulativeAmount: amount, firstEpoch: firstEpoch });
    }

    function _two(Leaf memory a, Leaf memory b) internal pure returns (Leaf[] memory leaves) {
        leaves = new Leaf[](2);
        leaves[0] = a;
        leaves[1] = b;
    }

    function _three(Leaf memory a, Leaf memory b, Leaf memory c) internal pure returns (Leaf[] memory leaves) {
        leaves = new Leaf[](3);
        leaves[0] = a;
        leaves[1] = b;
        leaves[2] = c;
    }

    function _one(Epochs.Claim memory a) internal pure returns (Epochs.Claim[] memory claims) {
        claims = new Epochs.Claim[](1);
        claims[0] = a;
    }

    function _pair(Epochs.Claim memory a, Epochs.Claim memory b) internal pure returns (Epochs.Claim[] memory claims) {
        claims = new Epochs.Claim[](2);
        claims[0] = a;
        claims[1] = b;
    }

    /// @dev Registered authors (alice: ID, ID2; bob: ID3), a funded pool and a first epoch past its window:
    /// ID 100, ID2 200, ID3 300 (USDC units, x 1e6).
    function _firstEpochPaying() internal returns (uint32 epochId) {
        _register(alice, ID);
        _register(alice, ID2);
        _register(bob, ID3);
        vm.warp(START + 1 hours);
        _fund(pool, 1_000e6);
        epochId = _publish(pool, _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1)), 0);
        vm.warp(block.timestamp + WINDOW);
    }

    /// @dev The whole state of a pool, and of one position in it, as one comparable value.
    function _stateWord(uint256 poolId, bytes32 id) internal view returns (bytes32) {
        (uint256 deferredUsdc, uint256 feesUsdc) = epochs.tokenTotals(address(usdc));
        (uint256 deferredEth, uint256 feesEth) = epochs.tokenTotals(address(0));
        Epochs.PoolState memory state;
        if (poolId != 0 && poolId <= epochs.poolCount()) state = epochs.getPool(poolId);
        return
            keccak256(
                abi.encode(
                    state,
                    epochs.positionOf(poolId, id),
                    epochs.payableEpoch(poolId),
                    deferredUsdc,
                    feesUsdc,
                    deferredEth,
                    feesEth,
                    usdc.balanceOf(address(epochs)),
                    address(epochs).balance
                )
            );
    }

    /// @dev The number of logs the epochs contract emitted with `topic0` among `logs`.
    function _countLogs(Vm.Log[] memory logs, bytes32 topic0) internal view returns (uint256 count) {
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(epochs) && logs[i].topics[0] == topic0) ++count;
        }
    }
}
